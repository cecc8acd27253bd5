"""Where the shared material lives: ../shared beside the repo (as CI lays it out), or
REFLECT_SHARED_DIR when it sits elsewhere."""

import os
from pathlib import Path

SHARED = Path(
    os.environ.get("REFLECT_SHARED_DIR")
    or Path(__file__).resolve().parents[2] / "shared"
)

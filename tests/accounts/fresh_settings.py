"""Read a setting as a fresh process configures it from an environment (settings are read
once, at start-up, so a changed environment needs a new process)."""

import os
import subprocess
import sys

from ..conftest import REPO


def setting_in(env: dict, name: str) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            f"print(settings.{name})",
        ],
        cwd=REPO,
        env={"DJANGO_SETTINGS_MODULE": "reflect.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return result.stdout.strip()


def environment_without(*names: str, **extra: str) -> dict:
    return {**{k: v for k, v in os.environ.items() if k not in names}, **extra}

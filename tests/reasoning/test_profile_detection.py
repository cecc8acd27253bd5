"""The backend profile is suggested from the server's `/v1/models` answer, and the estimate
says so when it differs from REFLECT_BACKEND_PROFILE; the look-up is cached and short."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reflect.reasoning import detection
from reflect.reflections.asking import estimate_reflection

LLAMA_SERVER = {
    "object": "list",
    "data": [
        {
            "id": "SmolLM2-135M-Instruct.Q4_1.gguf",
            "object": "model",
            "owned_by": "llamacpp",
            "meta": {"n_ctx_train": 8192},
        }
    ],
}
MODEL_LISTS = {
    "llamacpp": (LLAMA_SERVER, {}),
    "llama-cpp-python": (
        {
            "object": "list",
            "data": [{"id": "/models/smollm2.Q4_1.gguf", "owned_by": "me"}],
        },
        {"server": "uvicorn"},
    ),
    "vllm": (
        {"data": [{"id": "Qwen/Qwen3-8B", "owned_by": "vllm", "max_model_len": 32768}]},
        {},
    ),
    "ollama": ({"data": [{"id": "llama3.2:latest", "owned_by": "library"}]}, {}),
    "lmstudio": (
        {"data": [{"id": "qwen3-8b", "owned_by": "organization_owner"}]},
        {},
    ),
    "openai": ({"data": [{"id": "gpt-5.6", "owned_by": "system"}]}, {}),
}


class ModelsServer:
    """GET /v1/models answers `body` (after `delay` seconds) and counts the requests."""

    def __init__(self, body, headers=None, delay=0.0):
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests += 1
                time.sleep(delay)
                payload = json.dumps(body).encode()
                self.send_response(200 if self.path == "/v1/models" else 404)
                self.send_header("Content-Type", "application/json")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def close(self):
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def models_server():
    servers = []

    def start(body, headers=None, delay=0.0):
        servers.append(ModelsServer(body, headers, delay))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture(autouse=True)
def empty_cache():
    detection._cache.clear()
    yield
    detection._cache.clear()


@pytest.mark.parametrize("server", MODEL_LISTS)
def test_the_profile_is_read_from_the_model_list(models_server, server):
    body, headers = MODEL_LISTS[server]
    expected = "llamacpp" if server == "llama-cpp-python" else server

    found = detection.detect(models_server(body, headers).base_url)

    assert found is not None and found.profile == expected


@pytest.mark.django_db
def test_the_estimate_names_the_profile_the_server_looks_like(
    stub_openai, settings, owner, meetings, models_server
):
    settings.OPENAI_BASE_URL = models_server(LLAMA_SERVER).base_url
    settings.REFLECT_BACKEND_PROFILE = "openai"

    estimate = estimate_reflection(
        owner=owner, preset="blind_spots", document_ids=[d.pk for d in meetings]
    )

    assert any(
        "looks like llama.cpp" in note and "REFLECT_BACKEND_PROFILE is openai" in note
        for note in estimate["notes"]
    ), estimate["notes"]


@pytest.mark.django_db
def test_a_matching_profile_adds_no_note(
    stub_openai, settings, owner, meetings, models_server
):
    settings.OPENAI_BASE_URL = models_server(LLAMA_SERVER).base_url
    settings.REFLECT_BACKEND_PROFILE = "llamacpp"

    estimate = estimate_reflection(
        owner=owner, preset="blind_spots", document_ids=[d.pk for d in meetings]
    )

    assert not any("looks like" in note for note in estimate["notes"])


def test_a_slow_server_is_given_up_on_quickly_and_asked_once(models_server):
    slow = models_server(LLAMA_SERVER, delay=5)

    started = time.monotonic()
    first = detection.detect(slow.base_url)
    second = detection.detect(slow.base_url)

    assert first is None and second is None
    assert time.monotonic() - started < detection.TIMEOUT_SECONDS + 1
    assert slow.requests == 1

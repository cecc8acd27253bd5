"""Which kind of server OPENAI_BASE_URL points at, guessed from its `/v1/models` answer.

Each OpenAI-compatible server fills the model list its own way: llama.cpp's server says
`owned_by: llamacpp` (llama-cpp-python says "me" of a model named after its .gguf file),
vLLM says "vllm" and adds `max_model_len`, Ollama says "library", LM Studio
"organization_owner", OpenAI "openai" or "system". A wrong REFLECT_BACKEND_PROFILE fails in
confusing ways (a rejected "developer" role, an ignored output limit), so the estimate names
the profile the server looks like when it differs from the configured one.

The guess is cached per URL and asked with a short timeout: a page that shows an estimate
never waits long for a slow or absent server.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import openai

TIMEOUT_SECONDS = 1.5
# A server is restarted with another backend rarely; a failed look-up is retried sooner.
CACHE_SECONDS = 600.0
RETRY_SECONDS = 60.0

LABELS = {
    "openai": "OpenAI",
    "llamacpp": "llama.cpp",
    "vllm": "vLLM",
    "ollama": "Ollama",
    "lmstudio": "LM Studio",
}
_OWNERS = {
    "llamacpp": "llamacpp",
    "vllm": "vllm",
    "library": "ollama",
    "organization_owner": "lmstudio",
    "openai": "openai",
    "system": "openai",
    "openai-internal": "openai",
}


@dataclass(frozen=True)
class Detection:
    profile: str
    evidence: str

    @property
    def label(self) -> str:
        return LABELS[self.profile]


_cache: dict[str, tuple[float, Detection | None]] = {}
_lock = threading.Lock()


def profile_from_models(body: object, headers: dict[str, str]) -> Detection | None:
    """The profile a `/v1/models` answer (parsed JSON and response headers) points to."""
    server = headers.get("server", "").lower()
    if "ollama" in server:
        return Detection("ollama", f"server: {server}")
    models = body.get("data") if isinstance(body, dict) else None
    for model in models if isinstance(models, list) else []:
        if not isinstance(model, dict):
            continue
        owner = str(model.get("owned_by", "")).lower()
        if owner in _OWNERS:
            return Detection(_OWNERS[owner], f"owned_by: {owner}")
        if "max_model_len" in model:
            return Detection("vllm", "max_model_len in the model list")
        if str(model.get("id", "")).lower().endswith(".gguf") or isinstance(
            model.get("meta"), dict
        ):
            return Detection("llamacpp", "a .gguf model")
    return None


def detect(base_url: str, api_key: str = "") -> Detection | None:
    """The server's profile if its model list gives it away; None if unknown or unreachable."""
    if not base_url:
        return Detection("openai", "no OPENAI_BASE_URL (OpenAI's API)")
    now = time.monotonic()
    with _lock:
        cached = _cache.get(base_url)
    if cached and cached[0] > now:
        return cached[1]
    found = _ask(base_url, api_key)
    with _lock:
        _cache[base_url] = (
            now + (CACHE_SECONDS if found else RETRY_SECONDS),
            found,
        )
    return found


def _ask(base_url: str, api_key: str) -> Detection | None:
    client = openai.OpenAI(
        api_key=api_key or "not-needed",
        base_url=base_url,
        timeout=TIMEOUT_SECONDS,
        max_retries=0,
    )
    try:
        response = client.models.with_raw_response.list()
        body = response.http_response.json()
    except (openai.OpenAIError, ValueError):
        return None
    finally:
        client.close()
    headers = {k.lower(): v for k, v in response.headers.items()}
    return profile_from_models(body, headers)


def profile_note(*, base_url: str, api_key: str, configured: str) -> str:
    """A line for the estimate when the server looks unlike REFLECT_BACKEND_PROFILE."""
    found = detect(base_url, api_key)
    if found is None or found.profile == configured:
        return ""
    return (
        f"The server looks like {found.label} ({found.evidence}); "
        f"REFLECT_BACKEND_PROFILE is {configured}: set it to {found.profile} if that is right."
    )

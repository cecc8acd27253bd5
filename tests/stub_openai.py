"""A small OpenAI-compatible HTTP server for tests, so the real `openai` client is exercised.

It serves POST /v1/chat/completions and POST /v1/responses on 127.0.0.1 (ephemeral port) in
a thread, answers from a script (one reply per request, in order; a default answer when the
script runs out) and records every request. A scripted reply is a `Reply` (status, JSON or raw
body, headers such as Retry-After, a delay) or a callable taking the `Recorded` request and
returning one; `answer(result)` builds the success body for whichever endpoint was called.

    stub.script(error(429, "slow down", headers={"Retry-After": "0.01"}), answer(result))
    ... run the code under test against stub.base_url ...
    assert len(stub.requests) == 2 and stub.requests[-1].body["model"] == "gpt-5.6"
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHAT_PATH = "/v1/chat/completions"
RESPONSES_PATH = "/v1/responses"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    raw: bytes
    body: dict | None

    @property
    def is_chat(self) -> bool:
        return self.path.endswith("/chat/completions")


@dataclass
class Reply:
    status: int = 200
    json_body: object = None
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Script = Reply | Callable[[Recorded], Reply]


def usage(
    input_tokens: int = 1000,
    output_tokens: int = 200,
    *,
    cached_tokens: int | None = 0,
    reasoning_tokens: int | None = 50,
) -> dict:
    """Token usage in a neutral form; `None` details are left out (as some servers do)."""
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cached_tokens": cached_tokens,
        "reasoning_tokens": reasoning_tokens,
    }


def _chat_usage(u: dict | None) -> dict | None:
    if u is None:
        return None
    body = {
        "prompt_tokens": u["input_tokens"],
        "completion_tokens": u["output_tokens"],
        "total_tokens": u["input_tokens"] + u["output_tokens"],
    }
    if u.get("cached_tokens") is not None:
        body["prompt_tokens_details"] = {"cached_tokens": u["cached_tokens"]}
    if u.get("reasoning_tokens") is not None:
        body["completion_tokens_details"] = {"reasoning_tokens": u["reasoning_tokens"]}
    return body


def _responses_usage(u: dict | None) -> dict | None:
    if u is None:
        return None
    body = {
        "input_tokens": u["input_tokens"],
        "output_tokens": u["output_tokens"],
        "total_tokens": u["input_tokens"] + u["output_tokens"],
    }
    if u.get("cached_tokens") is not None:
        body["input_tokens_details"] = {"cached_tokens": u["cached_tokens"]}
    if u.get("reasoning_tokens") is not None:
        body["output_tokens_details"] = {"reasoning_tokens": u["reasoning_tokens"]}
    return body


def chat_completion(
    content: str | None,
    *,
    finish_reason: str = "stop",
    usage_: dict | None = None,
    refusal: str | None = None,
    model: str = "stub-model",
) -> dict:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": content,
                    "refusal": refusal,
                },
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": _chat_usage(usage_),
    }


def response_object(
    content: str | None,
    *,
    status: str = "completed",
    incomplete_reason: str | None = None,
    usage_: dict | None = None,
    refusal: str | None = None,
    model: str = "stub-model",
) -> dict:
    parts = []
    if content is not None:
        parts.append({"type": "output_text", "text": content, "annotations": []})
    if refusal is not None:
        parts.append({"type": "refusal", "refusal": refusal})
    return {
        "id": "resp_stub",
        "object": "response",
        "created_at": int(time.time()),
        "status": status,
        "model": model,
        "output": [
            {
                "type": "message",
                "id": "msg_stub",
                "status": "completed",
                "role": "assistant",
                "content": parts,
            }
        ],
        "incomplete_details": {"reason": incomplete_reason}
        if incomplete_reason
        else None,
        "error": None,
        "parallel_tool_calls": False,
        "tool_choice": "auto",
        "tools": [],
        "usage": _responses_usage(usage_),
    }


def answer(
    result: dict | str,
    *,
    usage_: dict | None = None,
    finish_reason: str = "stop",
    refusal: str | None = None,
    headers: dict | None = None,
    delay: float = 0.0,
) -> Callable[[Recorded], Reply]:
    """A successful answer carrying `result` (a dict is sent as JSON text) on either endpoint.

    `finish_reason="length"` answers as truncated on both (incomplete on Responses).
    """
    text = result if isinstance(result, str) else json.dumps(result)
    usage_ = usage() if usage_ is None else usage_

    def render(request: Recorded) -> Reply:
        if request.is_chat:
            body = chat_completion(
                text, finish_reason=finish_reason, usage_=usage_, refusal=refusal
            )
        elif finish_reason == "length":
            body = response_object(
                text,
                status="incomplete",
                incomplete_reason="max_output_tokens",
                usage_=usage_,
            )
        else:
            body = response_object(
                None if refusal else text, usage_=usage_, refusal=refusal
            )
        return Reply(200, body, headers=dict(headers or {}), delay=delay)

    return render


def error(
    status: int,
    message: str,
    *,
    type_: str | None = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    headers: dict | None = None,
    wrap: bool = True,
) -> Reply:
    """An error reply; `wrap=False` sends the fields at top level (some servers do)."""
    fields = {"message": message, "type": type_, "code": code, "param": param}
    return Reply(
        status, {"error": fields} if wrap else fields, headers=dict(headers or {})
    )


class StubOpenAI:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._script: list[Script] = []
        self._lock = threading.Lock()
        self.default: Script = Reply(
            500,
            {
                "error": {
                    "message": "stub: no scripted reply left",
                    "type": "server_error",
                }
            },
            headers={"x-should-retry": "false"},
        )
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                recorded = Recorded(
                    "POST",
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    raw,
                    body,
                )
                reply = stub._next(recorded)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = (
                    reply.raw
                    if reply.raw is not None
                    else json.dumps(reply.json_body).encode()
                )
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> StubOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def script(self, *replies: Script) -> None:
        """Queue replies, answered in order, one per request."""
        with self._lock:
            self._script.extend(replies)

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self.requests.clear()

    @property
    def bodies(self) -> list[dict]:
        return [r.body for r in self.requests]

    def _next(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            item = self._script.pop(0) if self._script else self.default
        if not callable(item):
            return item
        try:
            return item(request)
        except Exception as exc:
            return Reply(
                500,
                {
                    "error": {
                        "message": f"stub script raised {exc!r}",
                        "type": "stub_error",
                    }
                },
                headers={"x-should-retry": "false"},
            )

    def __enter__(self) -> StubOpenAI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

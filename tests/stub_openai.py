"""A small OpenAI-compatible HTTP server for tests, so the real `openai` client is exercised.

It serves POST /v1/chat/completions and POST /v1/responses on 127.0.0.1 (ephemeral port) in
a thread, answers from a script (one reply per request, in order; a default answer when the
script runs out) and records every request. A scripted reply is a `Reply` (status, JSON or raw
body, headers such as Retry-After, a delay) or a callable taking the `Recorded` request and
returning one; `answer(result)` builds the success body for whichever endpoint was called.

    stub.script(error(429, "slow down", headers={"Retry-After": "0.01"}), answer(result))
    ... run the code under test against stub.base_url ...
    assert len(stub.requests) == 2 and stub.requests[-1].body["model"] == "gpt-5.6"

Background responses (OpenAI's `background: true`): `stub.background(answer(result))` is a
scripted reply that stores the finished answer and returns it "queued"; GET /v1/responses/{id}
answers "in_progress" until `hold` is set (and for `polls` looks), then the answer; POST
/v1/responses/{id}/cancel and DELETE /v1/responses/{id} act on it. Those three never consume
the script and are recorded in `stub.background_requests`, not `stub.requests` (which keeps
counting model calls: `stub.creates` are its POSTs to /v1/responses).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHAT_PATH = "/v1/chat/completions"
RESPONSES_PATH = "/v1/responses"
_STORED_RESPONSE = re.compile(r"^/v1/responses/(?P<id>[^/?]+)(?P<cancel>/cancel)?$")


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


@dataclass
class BackgroundResponse:
    """A background response the stub holds: `final` is the body it finishes with."""

    id: str
    final: dict
    hold: threading.Event | None = None
    polls: int = 0
    cancelled: bool = False
    deleted: bool = False
    retrieves: int = 0

    def body(self, status: str | None = None) -> dict:
        if status is None:
            return self.final
        return {**self.final, "status": status, "output": [], "usage": None}

    @property
    def finished(self) -> bool:
        return (self.hold is None or self.hold.is_set()) and self.polls <= 0


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
    reasoning_summary: str | None = None,
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
            *(
                [
                    {
                        "type": "reasoning",
                        "id": "rs_stub",
                        "summary": [
                            {"type": "summary_text", "text": reasoning_summary}
                        ],
                    }
                ]
                if reasoning_summary
                else []
            ),
            {
                "type": "message",
                "id": "msg_stub",
                "status": "completed",
                "role": "assistant",
                "content": parts,
            },
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
    reasoning_summary: str | None = None,
) -> Callable[[Recorded], Reply]:
    """A successful answer carrying `result` (a dict is sent as JSON text) on either endpoint.

    `finish_reason="length"` answers as truncated on both (incomplete on Responses);
    `reasoning_summary` adds a reasoning item with that summary on Responses.
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
                None if refusal else text,
                usage_=usage_,
                refusal=refusal,
                reasoning_summary=reasoning_summary,
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
        # Retrievals, cancels and deletes of background responses (never scripted).
        self.background_requests: list[Recorded] = []
        self.stored: dict[str, BackgroundResponse] = {}
        self._ids = itertools.count(1)
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
                recorded = self._recorded("POST")
                stored = _STORED_RESPONSE.match(self.path)
                if stored and stored["cancel"]:
                    self._send(stub._stored_reply(recorded, stored["id"]))
                    return
                self._send(stub._next(recorded))

            def do_GET(self) -> None:
                self._stored(self._recorded("GET"))

            def do_DELETE(self) -> None:
                self._stored(self._recorded("DELETE"))

            def _stored(self, recorded: Recorded) -> None:
                stored = _STORED_RESPONSE.match(self.path)
                if stored is None:
                    self._send(error(404, f"stub: no route {self.path}"))
                    return
                self._send(stub._stored_reply(recorded, stored["id"]))

            def _recorded(self, method: str) -> Recorded:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                return Recorded(
                    method,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    raw,
                    body,
                )

            def _send(self, reply: Reply) -> None:
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

    @property
    def creates(self) -> list[Recorded]:
        """Requests that create a response (each one a model call paid for)."""
        return [r for r in self.requests if r.path == RESPONSES_PATH]

    def background_calls(self, method: str, *, cancel: bool = False) -> list[Recorded]:
        """Recorded retrievals ("GET"), deletes ("DELETE") or cancels ("POST", cancel=True)."""
        return [
            r
            for r in self.background_requests
            if r.method == method and r.path.endswith("/cancel") == cancel
        ]

    def background(
        self,
        respond: Script,
        *,
        hold: threading.Event | None = None,
        polls: int = 1,
    ) -> Callable[[Recorded], Reply]:
        """A scripted reply for a `background: true` create: the answer `respond` gives is
        stored and the create answers "queued". Retrievals answer "in_progress" until `hold`
        is set and `polls` of them were made, then the stored answer. An error reply of
        `respond` is returned at once (a create refused)."""

        def create(request: Recorded) -> Reply:
            reply = respond(request) if callable(respond) else respond
            if reply.status != 200 or not (request.body or {}).get("background"):
                return reply
            response_id = f"resp_bg_{next(self._ids)}"
            final = {**reply.json_body, "id": response_id, "background": True}
            stored = BackgroundResponse(response_id, final, hold=hold, polls=polls)
            with self._lock:
                self.stored[response_id] = stored
            return Reply(200, stored.body("queued"), headers=reply.headers)

        return create

    def _stored_reply(self, request: Recorded, response_id: str) -> Reply:
        with self._lock:
            self.background_requests.append(request)
            stored = self.stored.get(response_id)
            if stored is None or stored.deleted:
                return error(404, f"No response found with id '{response_id}'.")
            if request.method == "DELETE":
                stored.deleted = True
                return Reply(
                    200, {"id": response_id, "object": "response", "deleted": True}
                )
            if request.method == "POST":  # cancel
                if stored.finished and not stored.cancelled:
                    return error(400, "Cannot cancel a completed response.")
                stored.cancelled = True
                return Reply(200, stored.body("cancelled"))
            stored.retrieves += 1
            if stored.cancelled:
                return Reply(200, stored.body("cancelled"))
            if not stored.finished:
                stored.polls -= 1
                return Reply(200, stored.body("in_progress"))
            return Reply(200, stored.body())

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

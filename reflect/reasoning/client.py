"""The one module that talks to the model, through the official `openai` SDK.

It builds the request for the configured API style and backend (`request_bodies`), sends it
with few SDK retries (the task owns the long backoff) within the shared provider limits,
distrusts what comes back (`replies`, `parsing`) and turns every failure into a
`ReasoningError` of a known kind.
"""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass, field

import openai
from django.conf import settings

from reflect.reasoning.token_counts import count_tokens

from . import background, errors, replies, request_bodies, service_tiers
from .errors import ReasoningError
from .parsing import parse_result
from .prompt import Prompt
from .request_bodies import PROFILES
from .summaries import summary_refused, summary_text
from .throttle import Throttle
from .usage import add_usage, empty_usage

log = logging.getLogger(__name__)

# Servers seen rejecting (chat) or ignoring (responses) a JSON schema output format, by
# (base URL, model, API style): later calls in this process go straight to the plain-JSON
# instruction instead of failing first.
_NO_JSON_SCHEMA: set[tuple[str, str, str]] = set()
# Servers without the Responses API (llama-cpp-python answers 404): asked through chat.
_NO_RESPONSES_API: set[str] = set()
_NO_JSON_SCHEMA_LOCK = threading.Lock()
# Base URLs that refused reasoning summaries (an unverified organization): asked without.
_NO_SUMMARY: set[str] = set()


@dataclass
class Reply:
    data: dict
    usage: dict
    model: str
    structured: bool
    # What the manifest keeps of the call: service tier, flex fallback, response id, summary.
    details: dict = field(default_factory=dict)


@dataclass
class _Call:
    """One `complete()`: the tier it asks (flex may fall back) and where its background
    response id is kept."""

    service_tier: str
    slot: background.Slot
    details: dict = field(default_factory=dict)
    # "chat" for a server without the Responses API, whatever REFLECT_API_STYLE says.
    style: str = "chat"


class ModelClient:
    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        style: str,
        profile: str,
        timeout: float,
        max_retries: int,
        throttle: Throttle | None = None,
        flex_timeout: float | None = None,
        background: bool = False,
        poll_seconds: float = 2.0,
        reasoning_summary: str = "",
    ) -> None:
        if style not in ("chat", "responses"):
            raise ValueError(f"unknown API style {style!r}")
        self.style = style
        self.profile = PROFILES[profile]
        self.base_url = base_url
        self.throttle = throttle
        self.timeout = timeout
        self.flex_timeout = flex_timeout or timeout
        # Background responses and summaries: OpenAI's Responses API only (request_bodies).
        self.background = background
        self.poll_seconds = poll_seconds
        self.reasoning_summary = reasoning_summary
        # Local servers need any non-empty key; the SDK refuses to start without one.
        self._openai = openai.OpenAI(
            api_key=api_key or "not-needed",
            base_url=base_url or None,
            timeout=timeout,
            max_retries=max_retries,
            http_client=openai.DefaultHttpxClient(
                timeout=timeout, event_hooks={"response": [_refuse_hopeless_retries]}
            ),
        )

    @classmethod
    def from_settings(cls) -> ModelClient:
        return cls(
            api_key=settings.OPENAI_API_KEY,
            base_url=settings.OPENAI_BASE_URL,
            style=settings.REFLECT_API_STYLE,
            profile=settings.REFLECT_BACKEND_PROFILE,
            timeout=settings.REFLECT_REQUEST_TIMEOUT,
            max_retries=settings.REFLECT_SDK_MAX_RETRIES,
            throttle=Throttle.from_settings(),
            flex_timeout=settings.REFLECT_FLEX_REQUEST_TIMEOUT,
            background=settings.REFLECT_BACKGROUND,
            poll_seconds=settings.REFLECT_BACKGROUND_POLL_SECONDS,
            reasoning_summary=settings.REFLECT_REASONING_SUMMARY,
        )

    def close(self) -> None:
        self._openai.close()

    def cancel_response(self, response_id: str) -> bool:
        """Cancel a background response (best effort)."""
        return background.cancel(self._openai, response_id)

    def delete_response(self, response_id: str) -> None:
        """Delete a stored background response whose answer is saved (best effort)."""
        background.delete(self._openai, response_id)

    def complete(
        self,
        *,
        model: str,
        effort: str,
        prompt: Prompt,
        max_output_tokens: int,
        cache_key: str = "",
        expected_input_tokens: int = 0,
        service_tier: str = "",
        slot: background.Slot | None = None,
    ) -> Reply:
        """Ask once; return the parsed, shape-checked result with its usage.

        `service_tier` "flex" asks OpenAI's flex tier (falling back to the standard tier
        once when flex has no capacity); `slot` keeps a background response's id."""
        if self.style == "responses" and self.base_url in _NO_RESPONSES_API:
            style = "chat"
        else:
            style = self.style
        schema_key = (self.base_url, model, style)
        structured = schema_key not in _NO_JSON_SCHEMA
        call = _Call(
            service_tier=service_tier if self.profile.openai_features else "",
            slot=slot or background.Slot(),
            style=style,
        )
        try:
            return self._complete_in_tier(
                model,
                effort,
                prompt,
                max_output_tokens,
                cache_key,
                expected_input_tokens,
                structured,
                call=call,
            )
        except _ResponsesApiMissing:
            log.warning("%s has no Responses API; asking by chat", self.base_url)
            with _NO_JSON_SCHEMA_LOCK:
                _NO_RESPONSES_API.add(self.base_url)
            return self.complete(
                model=model,
                effort=effort,
                prompt=prompt,
                max_output_tokens=max_output_tokens,
                cache_key=cache_key,
                expected_input_tokens=expected_input_tokens,
                service_tier=service_tier,
                slot=slot,
            )
        except _JsonSchemaRejected as rejected:
            log.info("server refused or ignored a JSON schema for %s", model)
            with _NO_JSON_SCHEMA_LOCK:
                _NO_JSON_SCHEMA.add(schema_key)
            # An ignored schema's answer (prose, other JSON) was billed all the same.
            billed = rejected.usage or empty_usage()
            call.slot.saved = ""  # a new request: never the refused answer read again
            try:
                reply = self._complete_in_tier(
                    model,
                    effort,
                    prompt,
                    max_output_tokens,
                    cache_key,
                    expected_input_tokens,
                    False,
                    call=call,
                )
            except ReasoningError as error:
                error.usage = add_usage(billed, error.usage or empty_usage())
                raise
            reply.usage = add_usage(billed, reply.usage)
            return reply

    def _complete_in_tier(self, *args, call: _Call) -> Reply:
        """Ask; once more at the standard tier when flex has no room (not billed), and
        without reasoning summaries when the provider refuses them (never worth failing)."""
        # Each refusal comes once: the request asked again can no longer provoke it.
        while True:
            try:
                return self._complete(*args, call=call)
            except _FlexUnavailable:
                log.info("flex tier has no capacity; asking at the standard tier")
                call.service_tier = ""
                call.details["flex_fallback"] = "no flex capacity: standard tier"
            except _SummaryRefused:
                log.warning("%s refused reasoning summaries", self.base_url)
                _NO_SUMMARY.add(self.base_url)

    def _complete(
        self,
        model,
        effort,
        prompt,
        max_output_tokens,
        cache_key,
        expected,
        structured,
        call: _Call,
    ):
        extra: dict = {"service_tier": call.service_tier}
        if call.style == "chat":
            build, send = request_bodies.chat_request, self._send_chat
        else:
            build = request_bodies.responses_request
            send = functools.partial(self._send_responses, call=call)
            extra |= {
                "background": self.background,
                "reasoning_summary": (
                    "" if self.base_url in _NO_SUMMARY else self.reasoning_summary
                ),
            }
        request = build(
            profile=self.profile,
            model=model,
            effort=effort,
            prompt=prompt,
            max_output_tokens=max_output_tokens,
            cache_key=cache_key,
            structured=structured,
            **extra,
        )
        if "service_tier" in request:
            # Flex queues: OpenAI advises a longer timeout (an SDK per-request option).
            request["timeout"] = self.flex_timeout
        try:
            text, usage = self._send_throttled(
                send,
                request,
                model=model,
                prompt=prompt,
                expected=expected,
                max_output_tokens=max_output_tokens,
            )
        except openai.OpenAIError as exc:
            if call.service_tier and service_tiers.flex_unavailable(exc):
                raise _FlexUnavailable from exc
            if (request.get("reasoning") or {}).get("summary") and summary_refused(exc):
                raise _SummaryRefused from exc
            error = errors.classify(exc)
            if structured and errors.is_json_schema_rejection(error, exc):
                raise _JsonSchemaRejected from exc
            if call.style == "responses" and errors.is_missing_endpoint(exc, model):
                raise _ResponsesApiMissing from exc
            raise error from exc
        if (
            self.profile.silent_truncation
            and expected
            and 0 < usage["input_tokens"] < expected * 0.6
        ):
            raise ReasoningError(
                f"the server read {usage['input_tokens']} of about {expected} input tokens "
                "(it truncated the prompt)",
                kind=errors.CONTEXT_OVERFLOW,
                usage=usage,
            )
        try:
            data = parse_result(text, usage=usage)
        except ReasoningError as error:
            # A server that honours text.format answers in the schema: prose or other JSON
            # means it ignored it (chat servers that cannot do a schema say so with a 400).
            if structured and call.style == "responses":
                raise _JsonSchemaRejected(usage) from error
            raise
        if call.style != self.style:
            call.details["api_style"] = f"{call.style}: the server has no Responses API"
        if call.service_tier:
            call.details["service_tier"] = call.service_tier
        return Reply(
            data=data,
            usage=usage,
            model=model,
            structured=structured,
            details=dict(call.details),
        )

    def _send_throttled(
        self, send, request, *, model, prompt, expected, max_output_tokens
    ):
        """Send within the provider limits shared by all workers (see throttle.py)."""
        if self.throttle is None or not self.throttle.enabled:
            return send(request)
        # Providers count the output limit against tokens per minute until the answer is in.
        input_tokens = expected or count_tokens(
            prompt.instructions + prompt.corpus + prompt.question
        )
        with self.throttle.request(
            model=model, tokens=input_tokens + max_output_tokens
        ) as held:
            text, usage = send(request)
        held.settle(usage["input_tokens"] + usage["output_tokens"])
        return text, usage

    def _send_chat(self, request: dict) -> tuple[str, dict]:
        completion = replies.checked(
            self._openai.chat.completions.create, request, "choices"
        )
        return replies.chat_answer(
            completion, output_limit=request.get(self.profile.output_limit_param)
        )

    def _send_responses(self, request: dict, *, call: _Call) -> tuple[str, dict]:
        if request.get("background"):
            response = background.run(
                self._openai,
                request,
                slot=call.slot,
                timeout=request.get("timeout", self.timeout),
                poll_seconds=self.poll_seconds,
            )
            call.details["response_id"] = response.id
        else:
            response = replies.checked(self._openai.responses.create, request, "output")
        summary = summary_text(response)
        if summary:
            call.details["reasoning_summary"] = summary
        return replies.responses_answer(
            response, output_limit=request["max_output_tokens"]
        )


class _JsonSchemaRejected(Exception):
    """The server refused (nothing billed) or ignored (`usage` billed) the schema."""

    def __init__(self, usage: dict | None = None) -> None:
        super().__init__()
        self.usage = usage


class _ResponsesApiMissing(Exception):
    pass


class _FlexUnavailable(Exception):
    pass


class _SummaryRefused(Exception):
    pass


def _refuse_hopeless_retries(response) -> None:
    """Tell the SDK not to retry a 429 that can never succeed (it retries every 429).

    No quota left, or one request larger than the account's tokens-per-minute limit: retrying
    only wastes time (MODEL_API.md). The SDK obeys `x-should-retry`. Nor a 500 that is
    llama-cpp-python refusing a response format: the plain-JSON fallback answers it.
    """
    if response.status_code == 500:
        response.read()
        text = response.text.lower()
        if "validation error" in text and "response_format" in text:
            response.headers["x-should-retry"] = "false"
        return
    if response.status_code != 429:
        return
    response.read()
    text = response.text.lower()
    # Flex without capacity is answered at the standard tier at once (service_tiers.py).
    if any(
        hopeless in text
        for hopeless in (
            "insufficient_quota",
            "request too large",
            "resource unavailable",
        )
    ):
        response.headers["x-should-retry"] = "false"

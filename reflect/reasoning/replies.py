"""What the SDK hands back, read with suspicion: the answer's text and usage, or a
`ReasoningError` for a refusal, a cut-off answer or a body that is no API response."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .errors import INVALID_OUTPUT, PERMANENT, ReasoningError
from .server_limits import cut_off_message
from .usage import chat_usage, responses_usage


def checked(create: Callable[..., Any], request: dict, field: str) -> Any:
    """Call the SDK; a 200 whose body is not an API object (an HTML page from a proxy, broken
    JSON) is an unusable answer, not an internal error."""
    try:
        reply = create(**request)
    except json.JSONDecodeError as exc:
        raise ReasoningError(
            f"the model server's reply is not valid JSON: {exc}", kind=INVALID_OUTPUT
        ) from exc
    if not hasattr(reply, field):
        snippet = " ".join(str(reply).split())[:200]
        raise ReasoningError(
            f"the model server's reply is not an API response: {snippet}",
            kind=INVALID_OUTPUT,
        )
    return reply


def chat_answer(completion: Any, *, output_limit: int | None) -> tuple[str, dict]:
    """The text and usage of a chat completion."""
    usage = chat_usage(completion.usage)
    if not completion.choices:
        raise ReasoningError(
            "the model server returned no answer", kind=INVALID_OUTPUT, usage=usage
        )
    choice = completion.choices[0]
    message = choice.message
    refusal = getattr(message, "refusal", None)
    if refusal:
        raise ReasoningError(
            f"the model declined to answer: {refusal}", kind=PERMANENT, usage=usage
        )
    if choice.finish_reason == "length":
        raise ReasoningError(
            cut_off_message(usage=usage, output_limit=output_limit),
            kind=INVALID_OUTPUT,
            usage=usage,
        )
    if choice.finish_reason == "content_filter":
        raise ReasoningError(
            "the model provider's content filter stopped the answer",
            kind=PERMANENT,
            usage=usage,
        )
    return message.content or "", usage


def responses_answer(response: Any, *, output_limit: int) -> tuple[str, dict]:
    """The text and usage of a Responses API response."""
    usage = responses_usage(response.usage)
    if response.status == "failed":
        error = response.error
        message = getattr(error, "message", None) or "the model failed"
        raise ReasoningError(
            f"the model failed: {message}", kind=PERMANENT, usage=usage
        )
    if response.status == "incomplete":
        reason = getattr(response.incomplete_details, "reason", None)
        if reason == "content_filter":
            raise ReasoningError(
                "the model provider's content filter stopped the answer",
                kind=PERMANENT,
                usage=usage,
            )
        if reason in (None, "max_output_tokens"):
            message = cut_off_message(usage=usage, output_limit=output_limit)
        else:
            message = (
                f"the answer was cut off ({reason}) at {output_limit} output tokens"
            )
        raise ReasoningError(message, kind=INVALID_OUTPUT, usage=usage)
    for item in response.output or []:
        if item.type == "message":
            for content in item.content:
                if content.type == "refusal":
                    raise ReasoningError(
                        f"the model declined to answer: {content.refusal}",
                        kind=PERMANENT,
                        usage=usage,
                    )
    return response.output_text, usage

"""The one error the reasoning layer raises, sorted once at the boundary with the provider.

Kinds:
- retryable: rate limits (except quota), 5xx, timeouts, connection errors. The task retries
  with backoff, waiting at least `retry_after` seconds when the server said so.
- context_overflow: the request was too long for the model. The run re-plans with smaller
  batches instead of failing.
- permanent: bad key, unknown model, bad request, insufficient quota, a request too large for
  the account, a refusal. Failed at once with the provider's message.
- invalid_output: the answer was truncated (output limit) or is not the JSON asked for.
"""

from __future__ import annotations

import re

import openai

from ..models import Reflection

# The kinds are the reflection's error kinds (one home: Reflection.ErrorKind).
RETRYABLE = Reflection.ErrorKind.RETRYABLE
CONTEXT_OVERFLOW = Reflection.ErrorKind.CONTEXT_OVERFLOW
PERMANENT = Reflection.ErrorKind.PERMANENT
INVALID_OUTPUT = Reflection.ErrorKind.INVALID_OUTPUT

_SECRET = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+\S+)")


class ReasoningError(Exception):
    """A model call failed. `message` is fit to show to the person who asked."""

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        retry_after: float | None = None,
        usage: dict | None = None,
    ) -> None:
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.retry_after = retry_after
        # Tokens billed by the failed call (a truncated answer still costs its output).
        self.usage = usage

    @property
    def retryable(self) -> bool:
        return self.kind == RETRYABLE


def redact(text: str) -> str:
    """Remove anything shaped like an API key or bearer token from `text`."""
    from django.conf import settings

    key = getattr(settings, "OPENAI_API_KEY", "")
    if key and len(key) >= 4:
        text = text.replace(key, "[redacted]")
    return _SECRET.sub("[redacted]", text)


def classify(exc: Exception) -> ReasoningError:
    """Sort an exception raised by the openai SDK into a `ReasoningError`."""
    if isinstance(exc, ReasoningError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return ReasoningError("the model server did not answer in time", kind=RETRYABLE)
    if isinstance(exc, openai.APIConnectionError):
        return ReasoningError(
            f"could not reach the model server: {_cause(exc)}", kind=RETRYABLE
        )
    if isinstance(exc, openai.APIStatusError):
        return _classify_status(exc)
    if isinstance(exc, openai.APIResponseValidationError):
        return ReasoningError(
            f"the model server sent a response of the wrong shape: {exc.message}",
            kind=INVALID_OUTPUT,
        )
    if isinstance(exc, openai.OpenAIError):
        return ReasoningError(str(exc), kind=PERMANENT)
    raise TypeError(f"not a model error: {exc!r}") from exc


def _classify_status(exc: openai.APIStatusError) -> ReasoningError:
    status = exc.status_code
    code = (exc.code or "").lower()
    error_type = (exc.type or "").lower() if isinstance(exc.type, str) else ""
    message = _provider_message(exc)
    lowered = message.lower()
    retry_after = _retry_after(exc)

    if (
        code == "context_length_exceeded"
        or error_type == "exceed_context_size_error"
        or (status == 400 and "maximum context length" in lowered)
        or (status == 400 and "context length" in lowered and "exceed" in lowered)
    ):
        return ReasoningError(message, kind=CONTEXT_OVERFLOW)
    if status == 429:
        if code == "insufficient_quota" or error_type == "insufficient_quota":
            return ReasoningError(
                f"the account has no quota left: {message}", kind=PERMANENT
            )
        if "request too large" in lowered:
            return ReasoningError(
                f"the request is too large for this account's rate limit: {message}",
                kind=PERMANENT,
            )
        return ReasoningError(
            f"rate limited by the model server: {message}",
            kind=RETRYABLE,
            retry_after=retry_after,
        )
    if status in (408, 409) or status >= 500:
        return ReasoningError(
            f"the model server had a temporary problem ({status}): {message}",
            kind=RETRYABLE,
            retry_after=retry_after,
        )
    if status == 401:
        return ReasoningError(f"the API key was rejected: {message}", kind=PERMANENT)
    if status == 403:
        return ReasoningError(
            f"access denied by the model server: {message}", kind=PERMANENT
        )
    if status == 404:
        return ReasoningError(
            f"the model or endpoint was not found: {message}", kind=PERMANENT
        )
    return ReasoningError(
        f"the model server refused the request ({status}): {message}", kind=PERMANENT
    )


def _provider_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str) and message:
            return message
    if isinstance(body, str) and body.strip():
        return body.strip()[:500]
    return exc.message


def _retry_after(exc: openai.APIStatusError) -> float | None:
    headers = exc.response.headers
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            continue
        if seconds >= 0:
            return seconds
    return None


def _cause(exc: Exception) -> str:
    cause = exc.__cause__ or exc.__context__
    return str(cause) if cause else str(exc)


def is_json_schema_rejection(error: ReasoningError, exc: Exception) -> bool:
    """Whether an error says the server cannot do structured output with a JSON schema: a
    400, or llama-cpp-python's 500 for a request that fails its validation ("Input should
    be 'text' or 'json_object'"), which no retry can fix."""
    if isinstance(exc, openai.BadRequestError) and error.kind == PERMANENT:
        text = f"{error.message} {exc.param or ''}".lower()
        return any(
            word in text for word in ("response_format", "json_schema", "text.format")
        )
    if isinstance(exc, openai.InternalServerError):
        text = error.message.lower()
        return "validation error" in text and "response_format" in text
    return False


def is_missing_endpoint(exc: Exception, model: str) -> bool:
    """Whether a 404 is about the path (no such API here), not about the model, which
    OpenAI, Ollama and vLLM name in theirs."""
    if not isinstance(exc, openai.NotFoundError):
        return False
    text = f"{exc.message} {exc.code or ''}".lower()
    return "model" not in text and model.lower() not in text

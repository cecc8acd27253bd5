"""The one module that talks to the model, through the official `openai` SDK.

It builds the request for the configured API style and backend, sends it with few SDK retries
(the task owns the long backoff), distrusts what comes back (truncation, refusals, JSON that is
not what was asked for) and turns every failure into a `ReasoningError` of a known kind.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass

import openai
from django.conf import settings

from reflect.tokens import count_tokens

from . import errors
from .errors import INVALID_OUTPUT, PERMANENT, ReasoningError
from .prompt import Prompt, json_instruction, question_block
from .schema import CONFIDENCES, FINDING_KINDS, RESULT_SCHEMA
from .throttle import Throttle

log = logging.getLogger(__name__)

SCHEMA_NAME = "reflection"
SCHEMA_VERSION = hashlib.sha256(
    json.dumps(RESULT_SCHEMA, sort_keys=True).encode()
).hexdigest()[:12]


@dataclass(frozen=True)
class Profile:
    """Known quirks of an OpenAI-compatible backend."""

    name: str
    # Some chat templates (vLLM, llama.cpp) reject "developer"; they take "system".
    instructions_role: str = "developer"
    # Ollama and llama.cpp read only max_tokens.
    output_limit_param: str = "max_completion_tokens"
    # The text parts of a user message as a list (needed for a cache breakpoint) or one string.
    content_parts: bool = True
    prompt_cache_key: bool = False
    cache_breakpoint: bool = False
    # Ollama drops the oldest messages instead of failing when the prompt is too long.
    silent_truncation: bool = False


PROFILES = {
    "openai": Profile("openai", prompt_cache_key=True, cache_breakpoint=True),
    "vllm": Profile("vllm", instructions_role="system"),
    "ollama": Profile(
        "ollama",
        instructions_role="system",
        output_limit_param="max_tokens",
        content_parts=False,
        silent_truncation=True,
    ),
    "llamacpp": Profile(
        "llamacpp",
        instructions_role="system",
        output_limit_param="max_tokens",
        content_parts=False,
    ),
    "lmstudio": Profile(
        "lmstudio", instructions_role="system", output_limit_param="max_tokens"
    ),
}

# Servers seen rejecting a JSON schema response format, by (base URL, model): later calls in
# this process go straight to the plain-JSON instruction instead of failing first.
_NO_JSON_SCHEMA: set[tuple[str, str]] = set()
_NO_JSON_SCHEMA_LOCK = threading.Lock()


@dataclass
class Reply:
    data: dict
    usage: dict
    model: str
    structured: bool


def empty_usage() -> dict:
    return {
        "input_tokens": 0,
        "cached_tokens": 0,
        "output_tokens": 0,
        "reasoning_tokens": 0,
    }


def add_usage(total: dict, more: dict) -> dict:
    return {
        key: int(total.get(key, 0) or 0) + int(more.get(key, 0) or 0)
        for key in empty_usage()
    }


def supports_cache_breakpoint(model: str) -> bool:
    """Explicit prompt cache breakpoints exist from gpt-5.6 on (MODEL_API.md)."""
    name = model.removeprefix("openai/")
    if not name.startswith("gpt-"):
        return False
    version = name[4:].split("-")[0]
    try:
        major, _, minor = version.partition(".")
        return (int(major), int(minor or 0)) >= (5, 6)
    except ValueError:
        return False


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
    ) -> None:
        if style not in ("chat", "responses"):
            raise ValueError(f"unknown API style {style!r}")
        self.style = style
        self.profile = PROFILES[profile]
        self.base_url = base_url
        self.throttle = throttle
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
        )

    def close(self) -> None:
        self._openai.close()

    def complete(
        self,
        *,
        model: str,
        effort: str,
        prompt: Prompt,
        max_output_tokens: int,
        cache_key: str = "",
        expected_input_tokens: int = 0,
    ) -> Reply:
        """Ask once; return the parsed, shape-checked result with its usage."""
        structured = (self.base_url, model) not in _NO_JSON_SCHEMA
        try:
            return self._complete(
                model,
                effort,
                prompt,
                max_output_tokens,
                cache_key,
                expected_input_tokens,
                structured,
            )
        except _JsonSchemaRejected:
            log.info(
                "server rejected a JSON schema for %s; asking for plain JSON", model
            )
            with _NO_JSON_SCHEMA_LOCK:
                _NO_JSON_SCHEMA.add((self.base_url, model))
            return self._complete(
                model,
                effort,
                prompt,
                max_output_tokens,
                cache_key,
                expected_input_tokens,
                False,
            )

    def _complete(
        self, model, effort, prompt, max_output_tokens, cache_key, expected, structured
    ):
        build, send = (
            (self.chat_request, self._send_chat)
            if self.style == "chat"
            else (self.responses_request, self._send_responses)
        )
        request = build(
            model=model,
            effort=effort,
            prompt=prompt,
            max_output_tokens=max_output_tokens,
            cache_key=cache_key,
            structured=structured,
        )
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
            error = errors.classify(exc)
            if structured and errors.is_json_schema_rejection(error, exc):
                raise _JsonSchemaRejected from exc
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
        data = parse_result(text, usage=usage)
        return Reply(data=data, usage=usage, model=model, structured=structured)

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

    # --- Chat Completions --------------------------------------------------------------------

    def chat_request(
        self,
        *,
        model: str,
        effort: str,
        prompt: Prompt,
        max_output_tokens: int,
        cache_key: str = "",
        structured: bool = True,
    ) -> dict:
        """The keyword arguments of `chat.completions.create` for this prompt."""
        instructions = prompt.instructions
        if not structured:
            instructions += "\n" + json_instruction(RESULT_SCHEMA)
        question = question_block(prompt.question)
        if self.profile.content_parts:
            corpus_part = {"type": "text", "text": prompt.corpus}
            if self.profile.cache_breakpoint and supports_cache_breakpoint(model):
                corpus_part["prompt_cache_breakpoint"] = {"mode": "explicit"}
            content: list | str = [corpus_part, {"type": "text", "text": question}]
        else:
            content = prompt.corpus + "\n" + question
        request = {
            "model": model,
            "messages": [
                {"role": self.profile.instructions_role, "content": instructions},
                {"role": "user", "content": content},
            ],
            "reasoning_effort": effort,
            self.profile.output_limit_param: max_output_tokens,
        }
        if structured:
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": SCHEMA_NAME,
                    "schema": RESULT_SCHEMA,
                    "strict": True,
                },
            }
        if self.profile.prompt_cache_key and cache_key:
            request["prompt_cache_key"] = cache_key
        return request

    def _send_chat(self, request: dict) -> tuple[str, dict]:
        completion = _checked(self._openai.chat.completions.create, request, "choices")
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
                f"the answer was cut off at the output limit ({request.get(self.profile.output_limit_param)} "
                "tokens, reasoning included); raise REFLECT_OUTPUT_RESERVE_TOKENS or lower the effort",
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

    # --- Responses ---------------------------------------------------------------------------

    def responses_request(
        self,
        *,
        model: str,
        effort: str,
        prompt: Prompt,
        max_output_tokens: int,
        cache_key: str = "",
        structured: bool = True,
    ) -> dict:
        """The keyword arguments of `responses.create` for this prompt."""
        instructions = prompt.instructions
        if not structured:
            instructions += "\n" + json_instruction(RESULT_SCHEMA)
        corpus_part = {"type": "input_text", "text": prompt.corpus}
        if self.profile.cache_breakpoint and supports_cache_breakpoint(model):
            corpus_part["prompt_cache_breakpoint"] = {"mode": "explicit"}
        request = {
            "model": model,
            "input": [
                {"role": self.profile.instructions_role, "content": instructions},
                {
                    "role": "user",
                    "content": [
                        corpus_part,
                        {"type": "input_text", "text": question_block(prompt.question)},
                    ],
                },
            ],
            "reasoning": {"effort": effort},
            "max_output_tokens": max_output_tokens,
            # Overflow must be an error we can re-plan on, never silently dropped input.
            "truncation": "disabled",
            "store": False,
        }
        if structured:
            request["text"] = {
                "format": {
                    "type": "json_schema",
                    "name": SCHEMA_NAME,
                    "schema": RESULT_SCHEMA,
                    "strict": True,
                }
            }
        if self.profile.prompt_cache_key and cache_key:
            request["prompt_cache_key"] = cache_key
        return request

    def _send_responses(self, request: dict) -> tuple[str, dict]:
        response = _checked(self._openai.responses.create, request, "output")
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
            raise ReasoningError(
                f"the answer was cut off ({reason or 'incomplete'}) at "
                f"{request['max_output_tokens']} output tokens, reasoning included",
                kind=INVALID_OUTPUT,
                usage=usage,
            )
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


class _JsonSchemaRejected(Exception):
    pass


def _checked(create, request: dict, field: str):
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


def _refuse_hopeless_retries(response) -> None:
    """Tell the SDK not to retry a 429 that can never succeed (it retries every 429).

    No quota left, or one request larger than the account's tokens-per-minute limit: retrying
    only wastes time (MODEL_API.md). The SDK obeys `x-should-retry`.
    """
    if response.status_code != 429:
        return
    response.read()
    text = response.text.lower()
    if "insufficient_quota" in text or "request too large" in text:
        response.headers["x-should-retry"] = "false"


def _int(value) -> int:
    return (
        int(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else 0
    )


def chat_usage(usage) -> dict:
    """Usage of a chat completion; every detail may be missing on compatible servers."""
    if usage is None:
        return empty_usage()
    prompt_details = getattr(usage, "prompt_tokens_details", None)
    completion_details = getattr(usage, "completion_tokens_details", None)
    return {
        "input_tokens": _int(getattr(usage, "prompt_tokens", 0)),
        "cached_tokens": _int(getattr(prompt_details, "cached_tokens", 0)),
        "output_tokens": _int(getattr(usage, "completion_tokens", 0)),
        "reasoning_tokens": _int(getattr(completion_details, "reasoning_tokens", 0)),
    }


def responses_usage(usage) -> dict:
    if usage is None:
        return empty_usage()
    input_details = getattr(usage, "input_tokens_details", None)
    output_details = getattr(usage, "output_tokens_details", None)
    return {
        "input_tokens": _int(getattr(usage, "input_tokens", 0)),
        "cached_tokens": _int(getattr(input_details, "cached_tokens", 0)),
        "output_tokens": _int(getattr(usage, "output_tokens", 0)),
        "reasoning_tokens": _int(getattr(output_details, "reasoning_tokens", 0)),
    }


# --- Reading the answer -----------------------------------------------------------------------


def extract_json_object(text: str) -> dict | None:
    """The outermost JSON object in `text`: tolerates code fences and prose around it."""
    text = text.strip()
    try:
        value = json.loads(text)
        return value if isinstance(value, dict) else None
    except json.JSONDecodeError:
        pass
    decoder = json.JSONDecoder()
    position = text.find("{")
    while position != -1:
        try:
            value, _ = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            position = text.find("{", position + 1)
            continue
        if isinstance(value, dict):
            return value
        position = text.find("{", position + 1)
    return None


def parse_result(text: str, *, usage: dict | None = None) -> dict:
    """Parse and check a result; raise `ReasoningError` (invalid_output) when it is not one."""
    data = extract_json_object(text or "")
    if data is None:
        snippet = " ".join((text or "").split())[:200]
        raise ReasoningError(
            f"the model's answer is not the JSON asked for: {snippet or '(empty)'}",
            kind=INVALID_OUTPUT,
            usage=usage,
        )
    problem = result_problem(data)
    if problem:
        raise ReasoningError(
            f"the model's answer does not have the expected shape: {problem}",
            kind=INVALID_OUTPUT,
            usage=usage,
        )
    return normalise_result(data)


def result_problem(data: dict) -> str:
    if not isinstance(data.get("summary"), str):
        return "summary must be text"
    findings = data.get("findings")
    if not isinstance(findings, list):
        return "findings must be a list"
    for number, finding in enumerate(findings, 1):
        if not isinstance(finding, dict):
            return f"finding {number} is not an object"
        for key in ("title", "observation"):
            if not isinstance(finding.get(key), str):
                return f"finding {number} has no {key}"
        evidence = finding.get("evidence", [])
        if not isinstance(evidence, list):
            return f"finding {number}: evidence must be a list"
        for item in evidence:
            if not isinstance(item, dict) or not isinstance(item.get("quote"), str):
                return f"finding {number}: each evidence item needs a quote"
    questions = data.get("follow_up_questions", [])
    if not isinstance(questions, list):
        return "follow_up_questions must be a list"
    return ""


def normalise_result(data: dict) -> dict:
    """Fill what a plain-JSON answer may leave out, within the schema's vocabulary."""
    findings = []
    for finding in data["findings"]:
        kind = finding.get("kind")
        confidence = finding.get("confidence")
        findings.append(
            {
                "title": finding["title"],
                "kind": kind if kind in FINDING_KINDS else "other",
                "confidence": confidence if confidence in CONFIDENCES else "low",
                "observation": finding["observation"],
                "why_it_matters": str(finding.get("why_it_matters") or ""),
                "evidence": [
                    {
                        "document_id": _document_id(item.get("document_id")),
                        "quote": item["quote"],
                    }
                    for item in finding.get("evidence", [])
                ],
            }
        )
    return {
        "summary": data["summary"],
        "findings": findings,
        "follow_up_questions": [
            str(q) for q in data.get("follow_up_questions", []) if q
        ],
    }


def _document_id(value):
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value

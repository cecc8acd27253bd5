"""The request body for each API style (Chat Completions, Responses) and backend.

OpenAI-compatible servers differ in small ways (roles, the output limit's name, cache
hints); a `Profile` names those quirks so one prompt becomes the body each one accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .prompt import Prompt, json_instruction, question_block
from .schema import RESULT_SCHEMA

SCHEMA_NAME = "reflection"


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
    # llama.cpp servers constrain "json_object" output to a schema given beside it, which
    # llama-cpp-python accepts where it refuses "json_schema": without it a small local
    # model answers the plain-JSON instruction in prose.
    json_object_schema: bool = False
    # OpenAI only: service tiers (flex), background responses, reasoning summaries.
    openai_features: bool = False


PROFILES = {
    "openai": Profile(
        "openai", prompt_cache_key=True, cache_breakpoint=True, openai_features=True
    ),
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
        json_object_schema=True,
    ),
    "lmstudio": Profile(
        "lmstudio", instructions_role="system", output_limit_param="max_tokens"
    ),
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


def chat_request(
    *,
    profile: Profile,
    model: str,
    effort: str,
    prompt: Prompt,
    max_output_tokens: int,
    cache_key: str = "",
    structured: bool = True,
    service_tier: str = "",
) -> dict:
    """The keyword arguments of `chat.completions.create` for this prompt."""
    instructions = prompt.instructions
    if not structured:
        instructions += "\n" + json_instruction(RESULT_SCHEMA)
    question = question_block(prompt.question)
    if profile.content_parts:
        corpus_part = {"type": "text", "text": prompt.corpus}
        if profile.cache_breakpoint and supports_cache_breakpoint(model):
            corpus_part["prompt_cache_breakpoint"] = {"mode": "explicit"}
        content: list | str = [corpus_part, {"type": "text", "text": question}]
    else:
        content = prompt.corpus + "\n" + question
    request = {
        "model": model,
        "messages": [
            {"role": profile.instructions_role, "content": instructions},
            {"role": "user", "content": content},
        ],
        "reasoning_effort": effort,
        profile.output_limit_param: max_output_tokens,
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
    elif profile.json_object_schema:
        request["response_format"] = {"type": "json_object", "schema": RESULT_SCHEMA}
    if profile.prompt_cache_key and cache_key:
        request["prompt_cache_key"] = cache_key
    if profile.openai_features and service_tier:
        request["service_tier"] = service_tier
    return request


def responses_request(
    *,
    profile: Profile,
    model: str,
    effort: str,
    prompt: Prompt,
    max_output_tokens: int,
    cache_key: str = "",
    structured: bool = True,
    service_tier: str = "",
    background: bool = False,
    reasoning_summary: str = "",
) -> dict:
    """The keyword arguments of `responses.create` for this prompt.

    `background`, `service_tier` and `reasoning_summary` are OpenAI's; other profiles
    never send them."""
    instructions = prompt.instructions
    if not structured:
        instructions += "\n" + json_instruction(RESULT_SCHEMA)
    corpus_part = {"type": "input_text", "text": prompt.corpus}
    if profile.cache_breakpoint and supports_cache_breakpoint(model):
        corpus_part["prompt_cache_breakpoint"] = {"mode": "explicit"}
    request = {
        "model": model,
        "input": [
            {"role": profile.instructions_role, "content": instructions},
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
    if profile.prompt_cache_key and cache_key:
        request["prompt_cache_key"] = cache_key
    if profile.openai_features:
        if service_tier:
            request["service_tier"] = service_tier
        if reasoning_summary:
            request["reasoning"]["summary"] = reasoning_summary
        if background:
            request["background"] = True
            # OpenAI keeps a background response only while stored; it is deleted once the
            # answer is saved (the run's successor must be able to retrieve it until then).
            request["store"] = True
    return request

"""Token usage of model calls: one dict shape for every API style and backend."""

from __future__ import annotations

from typing import Any


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


def chat_usage(usage: Any) -> dict:
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


def responses_usage(usage: Any) -> dict:
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


def _int(value: Any) -> int:
    return (
        int(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else 0
    )

"""What a model server says about its own limits, and advice that names values that work.

Small local servers (llama.cpp, vLLM, Ollama) have contexts of a few thousand tokens, far
below the defaults sized for OpenAI's models. Their errors often state the real limit; the
run re-plans on it, and a message that cannot be avoided names the setting and a value.
"""

from __future__ import annotations

import re

# The context limit as servers state it in a context-overflow error:
# OpenAI, vLLM, llama-cpp-python: "This model's maximum context length is 8192 tokens."
# llama.cpp's server: "request (5000 tokens) exceeds the available context size (4096 tokens)"
# llama-cpp-python, unformatted: "Requested tokens (5000) exceed context window of 4096"
_STATED_LIMIT = (
    re.compile(r"maximum context length is ([\d,]+) tokens", re.IGNORECASE),
    re.compile(r"available context size \(([\d,]+) tokens\)", re.IGNORECASE),
    re.compile(r"context window of ([\d,]+)", re.IGNORECASE),
    re.compile(r"\bn_ctx\b\D{0,4}([\d,]+)", re.IGNORECASE),
)


def stated_context_limit(message: str) -> int | None:
    """The context size (tokens) that a server's overflow error states, if it states one."""
    for pattern in _STATED_LIMIT:
        match = pattern.search(message or "")
        if match:
            limit = int(match.group(1).replace(",", ""))
            if limit > 0:
                return limit
    return None


def suggested_output_reserve(context_tokens: int) -> int:
    """An output reserve that leaves half of a small context for the prompt."""
    return max(context_tokens // 2, 1)


def cut_off_message(*, usage: dict, output_limit: int | None) -> str:
    """Why an answer was cut off, with the settings and values that would let it finish.

    A server whose context is smaller than prompt + output limit stops the answer when the
    context is full (llama.cpp shortens the output limit to what is left) well before the
    limit Reflect sent: then the context is about prompt + output, and raising the output
    reserve cannot help.
    """
    output_tokens = int(usage.get("output_tokens") or 0)
    input_tokens = int(usage.get("input_tokens") or 0)
    if output_limit and 0 < output_tokens < output_limit * 0.9 and input_tokens:
        context = input_tokens + output_tokens
        return (
            f"the answer was cut off: the server stopped it after {output_tokens} output "
            "tokens, short of "
            f"the {output_limit} allowed: its context of about {context} tokens was full "
            f"({input_tokens} of them the prompt). Set REFLECT_CONTEXT_TOKENS={context} and "
            f"REFLECT_OUTPUT_RESERVE_TOKENS={suggested_output_reserve(context)} so documents "
            "are sent in parts that leave room for the answer, or give the server a larger "
            "context"
        )
    if output_limit:
        return (
            f"the answer was cut off at the output limit ({output_limit} tokens, reasoning "
            f"included); set REFLECT_OUTPUT_RESERVE_TOKENS={output_limit * 2} or lower the "
            "effort"
        )
    return (
        "the answer was cut off at the output limit; raise REFLECT_OUTPUT_RESERVE_TOKENS "
        "or lower the effort"
    )

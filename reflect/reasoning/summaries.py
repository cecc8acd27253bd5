"""Reasoning summaries: the provider's own short account of how the model reasoned.

Asked of OpenAI's Responses API (`reasoning.summary`); they come back as output items of
type "reasoning" whose `summary` parts hold text. Shown folded under the answer, as the
model's account and never as evidence.
"""

from __future__ import annotations

from typing import Any

import openai

# A summary is a few paragraphs; a longer one is cut so a manifest stays small.
MAX_SUMMARY_CHARS = 8_000


def summary_refused(exc: Exception) -> bool:
    """Whether a 400 refuses the summary itself (OpenAI asks some organizations to verify
    before it sends them), so the same request without one would be answered."""
    if not isinstance(exc, openai.BadRequestError):
        return False
    param = exc.param if isinstance(exc.param, str) else ""
    return param == "reasoning.summary" or "reasoning summar" in str(exc).lower()


def summary_text(response: Any) -> str:
    """The reasoning summary parts of a Responses API response, joined; "" if none."""
    parts = []
    for item in getattr(response, "output", None) or []:
        if getattr(item, "type", None) != "reasoning":
            continue
        for part in getattr(item, "summary", None) or []:
            text = getattr(part, "text", None)
            if isinstance(text, str) and text.strip():
                parts.append(text.strip())
    return "\n\n".join(parts)[:MAX_SUMMARY_CHARS]


def _label(step: str, index: int, parts: int) -> str:
    if step == "single":
        return "The answer"
    if step == "map":
        return f"Part {index} of {parts}" if parts else f"Part {index}"
    if step == "reduce":
        return "The synthesis"
    return f"{step.replace('_', ' ').capitalize()} {index}"


def summaries_of(manifest: dict | None) -> list[dict]:
    """[{"label", "text"}] of the calls whose reasoning summary a manifest keeps, in call
    order, once per call (a resumed run lists a reused call again, without its summary)."""
    calls = (manifest or {}).get("calls") or []
    parts = len({c.get("index") for c in calls if c.get("step") == "map"})
    found: dict[tuple, dict] = {}
    for call in calls:
        text = call.get("reasoning_summary")
        if isinstance(text, str) and text.strip():
            step, index = str(call.get("step", "")), int(call.get("index") or 0)
            found[(step, index)] = {"label": _label(step, index, parts), "text": text}
    return list(found.values())

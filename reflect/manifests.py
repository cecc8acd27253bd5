"""What went into a reflection, as a table people read: the documents and which parts
carried them, every model call with its model and tokens, and what was left out and why.

Read from `Reflection.manifest` (written by the engine as it runs) and the saved
`ReflectionPart` rows, which hold the usage of calls a resumed run reused.
"""

from __future__ import annotations

from .extraction import locators
from .models import Reflection

MODES = {
    "single": "one call with every document",
    "map_reduce": "map-reduce: read in parts, then synthesised",
    "offline": "offline analyzer (no model call)",
}
STEPS = {"single": "Single call", "map": "Map", "reduce": "Reduce"}


def went_in(reflection: Reflection) -> dict:
    """{"mode", "mode_text", "documents", "calls", "models", "left_out", "notes",
    "replans"} for the page."""
    manifest = reflection.manifest or {}
    plan = manifest.get("plan") or []
    parts_of: dict[int, list[int]] = {}
    for number, batch in enumerate(plan, 1):
        for piece in batch:
            parts_of.setdefault(piece["document_id"], []).append(number)
    documents = [
        {
            "id": document["id"],
            "title": document["title"],
            "parts": parts_of.get(document["id"], []),
        }
        for document in manifest.get("documents", [])
    ]
    calls = _calls(reflection, manifest.get("calls", []), parts=len(plan))
    models: dict[str, list[str]] = {}
    for call in calls:
        names = models.setdefault(call["step_name"], [])
        if call["model"] not in names:
            names.append(call["model"])
    return {
        "mode": manifest.get("mode", ""),
        "mode_text": MODES.get(manifest.get("mode", ""), manifest.get("mode", "")),
        "documents": documents,
        "calls": calls,
        "models": [
            {"step": STEPS.get(step, step.capitalize()), "models": names}
            for step, names in models.items()
        ],
        "left_out": [
            {
                "id": item.get("id"),
                "title": item.get("title", ""),
                "reason": item["reason"],
            }
            for item in manifest.get("left_out", [])
        ],
        "notes": list(manifest.get("notes", [])),
        "replans": manifest.get("replans", 0),
    }


def _calls(reflection: Reflection, records: list[dict], *, parts: int) -> list[dict]:
    saved = {
        (part.index, part.model): part.usage
        for part in reflection.parts.order_by("created_at", "pk")
    }
    calls = []
    for record in records:
        step = record.get("step", "")
        usage = record.get("usage")
        if record.get("reused"):
            usage = saved.get((record.get("index"), record.get("model")))
        if record.get("error"):
            outcome = f"failed: {record['error']}"
        elif record.get("reused"):
            outcome = "answer kept from an earlier attempt (not paid again)"
        else:
            outcome = "answered"
        label = STEPS.get(step, step.capitalize())
        if step == "map" and parts:
            label = f"Map part {record.get('index')} of {parts}"
        calls.append(
            {
                "step_name": step,
                "label": label,
                "model": record.get("model", ""),
                "documents": [_piece(piece) for piece in record.get("documents", [])],
                "input_tokens": (usage or {}).get("input_tokens"),
                "cached_tokens": (usage or {}).get("cached_tokens"),
                "output_tokens": (usage or {}).get("output_tokens"),
                "reasoning_tokens": (usage or {}).get("reasoning_tokens"),
                "expected_input_tokens": record.get("expected_input_tokens"),
                "outcome": outcome,
                "failed": bool(record.get("error")),
            }
        )
    return calls


def _piece(piece: dict) -> dict:
    """A document slice as "whole", "00:01:02 · Ann to 00:09:30 · Bob" or characters."""
    if piece.get("whole", True):
        extent = "whole"
    elif piece.get("from") or piece.get("to"):
        start = locators.label(piece.get("from")) or "start"
        end = locators.label(piece.get("to")) or "end"
        extent = f"{start} to {end}"
    else:
        start, end = piece.get("chars", [0, 0])
        extent = f"characters {start}–{end}"
    return {
        "id": piece.get("document_id"),
        "title": piece.get("title", ""),
        "extent": extent,
    }

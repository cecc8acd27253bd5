"""Live events: what pages showing a reflection are told when it changes."""

from __future__ import annotations

from django.db import transaction

from .. import events
from ..models import Reflection

# The browser notification names the question in about one line.
QUESTION_CHARS = 80


def short_question(question: str, limit: int = QUESTION_CHARS) -> str:
    return question if len(question) <= limit else question[: limit - 1].rstrip() + "…"


def reflection_event(reflection: Reflection) -> dict:
    """What a page is told; only the owner's pages hear it, so the question may be in it."""
    return {
        "type": "reflection",
        "id": reflection.pk,
        "question": short_question(reflection.question),
        "status": reflection.status,
        "phase": reflection.phase,
        "parts_done": reflection.parts_done,
        "parts_total": reflection.parts_total,
    }


def publish(reflection: Reflection) -> None:
    event = reflection_event(reflection)
    transaction.on_commit(lambda: events.publish(reflection.owner_id, event))


# --- Reading ---------------------------------------------------------------------------------------

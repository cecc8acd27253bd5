"""Live events: what pages showing a reflection are told when it changes."""

from __future__ import annotations

from django.db import transaction

from .. import events
from ..models import Reflection


def reflection_event(reflection: Reflection) -> dict:
    return {
        "type": "reflection",
        "id": reflection.pk,
        "status": reflection.status,
        "phase": reflection.phase,
        "parts_done": reflection.parts_done,
        "parts_total": reflection.parts_total,
    }


def publish(reflection: Reflection) -> None:
    event = reflection_event(reflection)
    transaction.on_commit(lambda: events.publish(reflection.owner_id, event))


# --- Reading ---------------------------------------------------------------------------------------

"""Sending work to the queue without losing it, and telling pages when the queue is down.

The row (a queued reflection, a pending document) is the record of the work; the queue
message only wakes a worker. So a message that cannot be sent (Redis down) is logged, not
raised: the page still answers, and the sweep sends the message once Redis is back.
"""

from __future__ import annotations

import logging
import time

from django.db import transaction

from . import liveness

logger = logging.getLogger(__name__)
STATE_CACHE_SECONDS = 2.0
_state: tuple[float, str] | None = None


def send(task, *args) -> bool:
    """Publish `task(*args)` now; False (logged) when the broker cannot be reached."""
    global _state
    try:
        task.apply_async(args=args)
    except Exception as error:
        logger.warning(
            "queue unavailable, %s%s left for the sweep: %s", task.name, args, error
        )
        _state = (time.monotonic(), UNAVAILABLE)
        return False
    return True


def send_on_commit(task, *args) -> None:
    """Publish after the current transaction commits (at once outside one), never raising."""
    transaction.on_commit(lambda: send(task, *args))


OK = "ok"
NO_WORKER = "no_worker"
UNAVAILABLE = "unavailable"


def queue_state() -> str:
    """ok, no_worker (Redis up, no worker) or unavailable (Redis cannot be reached).

    Cached for a moment so a page with several fragments asks Redis once."""
    global _state
    now = time.monotonic()
    if _state is not None and now - _state[0] < STATE_CACHE_SECONDS:
        return _state[1]
    alive = liveness.workers_alive()
    state = UNAVAILABLE if alive is None else OK if alive else NO_WORKER
    _state = (now, state)
    return state

"""Sending work to the queue by task name, and telling pages when the queue is down.

The only way services start background work. They name the task instead of importing
`reflect.tasks`, so imports flow one way: tasks call services, never the reverse.

The row (a queued reflection, a pending document) is the record of the work; the queue
message only wakes a worker. So a message that cannot be sent (Redis down) is logged, not
raised: the page still answers, and the sweep sends the message once Redis is back.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, transaction

from . import liveness
from .celery import app
from .models import UnsentMessage

logger = logging.getLogger(__name__)

# Registered names of the tasks services start (tests/project checks each one exists).
EXTRACT_DOCUMENT = "reflect.tasks.extract_document"
RUN_REFLECTION = "reflect.tasks.run_reflection"
SEND_DELIVERY = "reflect.tasks.send_delivery"
TASK_NAMES = (EXTRACT_DOCUMENT, RUN_REFLECTION, SEND_DELIVERY)

OK = "ok"
NO_WORKER = "no_worker"
UNAVAILABLE = "unavailable"
STATE_CACHE_SECONDS = 2.0
_state: tuple[float, str] | None = None


def send(task_name: str, *args: int | str) -> bool:
    """Publish `task_name(*args)` now; False (logged, and kept for the sweep) when the
    broker cannot be reached."""
    if task_name not in TASK_NAMES:
        raise ValueError(f"unknown task {task_name!r}")
    if _publish(task_name, args):
        return True
    try:
        UnsentMessage.objects.create(task_name=task_name, args=list(args))
    except DatabaseError as error:
        # The row of the work itself is still there: the sweep's slower re-send finds it.
        logger.warning("could not keep the unsent %s%s: %s", task_name, args, error)
    return False


def _publish(task_name: str, args: tuple | list) -> bool:
    global _state
    try:
        app.send_task(task_name, args=tuple(args))
    except Exception as error:
        logger.warning(
            "queue unavailable, %s%s left for the sweep: %s", task_name, args, error
        )
        _state = (time.monotonic(), UNAVAILABLE)
        return False
    return True


def resend_unsent(*, limit: int = 500) -> int:
    """Publish the messages kept while the queue was down, oldest first; how many went.

    Stops at the first failure: the queue is still down. A message sent twice (a sweep
    racing another) is harmless, since every task claims its row conditionally."""
    sent = 0
    for message in UnsentMessage.objects.all()[:limit]:
        if not _publish(message.task_name, message.args):
            break
        UnsentMessage.objects.filter(pk=message.pk).delete()
        sent += 1
    return sent


def send_on_commit(task_name: str, *args: int | str) -> None:
    """Publish after the current transaction commits (at once outside one), never raising."""
    transaction.on_commit(lambda: send(task_name, *args))


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

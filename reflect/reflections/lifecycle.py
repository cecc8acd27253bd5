"""Cancelling, retrying and deleting a reflection; each a conditional change of status."""

from __future__ import annotations

from django.utils import timezone

from ..models import Reflection
from . import asking
from .asking import ReflectionError
from .live import publish


def cancel_reflection(*, reflection: Reflection) -> bool:
    """Cancel a queued or running reflection; False if it had already finished.

    A running worker notices before its next model call and stops without saving.
    """
    cancelled = Reflection.objects.filter(
        pk=reflection.pk,
        status__in=[Reflection.Status.QUEUED, Reflection.Status.RUNNING],
    ).update(
        status=Reflection.Status.CANCELLED,
        phase="",
        claimed_by="",
        finished_at=timezone.now(),
    )
    reflection.refresh_from_db()
    if cancelled:
        publish(reflection)
    return bool(cancelled)


def retry_reflection(*, reflection: Reflection, enqueue: bool = True) -> Reflection:
    """Queue a failed or cancelled reflection again. Finished map parts are reused."""
    requeued = Reflection.objects.filter(
        pk=reflection.pk,
        status__in=[Reflection.Status.FAILED, Reflection.Status.CANCELLED],
    ).update(
        status=Reflection.Status.QUEUED,
        phase="",
        error="",
        error_kind="",
        result=None,
        finished_at=None,
        # When it was queued again: the sweep re-sends it only if it waits too long from now.
        heartbeat_at=timezone.now(),
    )
    if not requeued:
        raise ReflectionError("only a failed or cancelled reflection can be retried")
    reflection.refresh_from_db()
    publish(reflection)
    if enqueue:
        asking.queue_run(reflection)
    return reflection


def delete_reflection(*, reflection: Reflection) -> None:
    """Delete a reflection; a worker still running it finds its claim gone and stops."""
    reflection.delete()

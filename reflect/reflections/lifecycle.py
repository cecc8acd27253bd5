"""Cancelling, retrying and deleting a reflection; each a conditional change of status."""

from __future__ import annotations

from django.utils import timezone

from ..models import Reflection
from . import asking
from .asking import ReflectionError
from .claims import cancel_responses
from .live import publish


def cancel_reflection(*, reflection: Reflection) -> bool:
    """Cancel a queued or running reflection; False if it had already finished.

    A running worker notices before its next model call and stops without saving; OpenAI
    background responses still computing are cancelled remotely, best effort (a worker
    waiting on one also cancels it when it notices).
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
        _cancel_background_responses(reflection)
    return bool(cancelled)


def _cancel_background_responses(reflection: Reflection) -> None:
    response_ids = list((reflection.background_responses or {}).values())
    if not response_ids:
        return
    cancel_responses(response_ids)
    # A retry asks afresh: a cancelled response has no answer to re-attach to.
    Reflection.objects.filter(
        pk=reflection.pk, status=Reflection.Status.CANCELLED
    ).update(background_responses={})
    reflection.background_responses = {}


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

"""Notifications: the one per finished reflection, and their read state.

A finished reflection creates its one notification (`notify`) in the same transaction
that finishes it, with the email and webhook it owes (`deliveries`).
"""

from django.db.models import QuerySet
from django.utils import timezone

from . import deliveries, history
from .models import Notification, Reflection, User


def unread(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def bell(user: User) -> dict:
    """The bell's unread count and the latest unread message, which names its question."""
    waiting = unread(user)
    latest = (
        waiting.order_by("-created_at", "-pk").values_list("message", flat=True).first()
    )
    return {"unread_count": waiting.count(), "latest_unread": latest or ""}


def mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_reflection_read(*, user: User, reflection_id: int) -> None:
    """Opening a finished reflection's page reads its notification."""
    unread(user).filter(reflection_id=reflection_id).update(read_at=timezone.now())


def mark_all_read(*, user: User) -> int:
    return unread(user).update(read_at=timezone.now())


def notify(*, reflection: Reflection) -> Notification:
    """The one notification of a finished reflection (a retry's outcome replaces it, unread)."""
    title = (
        reflection.question
        if len(reflection.question) <= 120
        else reflection.question[:119] + "…"
    )
    if reflection.status == Reflection.Status.SUCCEEDED:
        message = f"Reflection ready: {title}"
    else:
        message = f"Reflection failed: {title}"
    if reflection.schedule_id is not None:
        # A scheduled run says in one line what changed since the previous run.
        message = history.change_message(reflection=reflection) or message
    notification, _ = Notification.objects.update_or_create(
        reflection=reflection,
        defaults={
            "user_id": reflection.owner_id,
            "status": reflection.status,
            "message": message[:300],
            "read_at": None,
        },
    )
    # Email and webhook (if the person opted in): owed in this transaction, sent after it.
    deliveries.owe(notification=notification)
    return notification

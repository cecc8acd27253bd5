"""Notifications: read state, and delivery by email and webhook.

A finished reflection creates its one notification (`notify`) in the same transaction
that finishes it.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.utils import timezone

from . import dispatch, history, webhooks
from .models import Notification, Reflection, User


def unread(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_reflection_read(*, user: User, reflection_id: int) -> None:
    """Opening a finished reflection's page reads its notification."""
    unread(user).filter(reflection_id=reflection_id).update(read_at=timezone.now())


def mark_all_read(*, user: User) -> int:
    return unread(user).update(read_at=timezone.now())


def summary_payload(notification: Notification) -> dict:
    reflection = notification.reflection
    result = reflection.result or {}
    return {
        "event": "reflection.finished",
        "reflection_id": reflection.pk,
        "status": reflection.status,
        "question": reflection.question,
        "summary": result.get("summary", ""),
        "findings": [
            {
                "title": f.get("title", ""),
                "kind": f.get("kind", ""),
                "confidence": f.get("confidence", ""),
            }
            for f in result.get("findings", [])
        ],
        "error": reflection.error,
        "cost_usd": str(reflection.cost_usd),
        "url": f"{settings.REFLECT_BASE_URL}/reflections/{reflection.pk}/",
    }


def send_email(*, notification: Notification) -> bool:
    """Mail the person if they opted in and have an address; True when sent."""
    user = notification.user
    if not (user.notify_by_email and user.email):
        return False
    payload = summary_payload(notification)
    lines = [notification.message, "", payload["summary"], ""]
    lines += [f"- {f['title']}" for f in payload["findings"]]
    lines += ["", payload["url"]]
    send_mail(
        f"Reflect: {notification.message}",
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    return True


def send_webhook(*, notification: Notification) -> bool:
    """POST the signed summary if the person set a webhook; True when delivered.

    Raises webhooks.WebhookFailed for the task to retry, webhooks.WebhookRefused when retrying
    cannot help.
    """
    user = notification.user
    if not user.webhook_url:
        return False
    webhooks.post(
        url=user.webhook_url,
        secret=user.webhook_secret,
        payload=summary_payload(notification),
    )
    return True


def enqueue_delivery(*, notification: Notification) -> None:
    """Queue email and webhook for a new notification, after the transaction commits."""
    user = notification.user
    if user.notify_by_email and user.email:
        dispatch.send_on_commit(dispatch.SEND_NOTIFICATION_EMAIL, notification.pk)
    if user.webhook_url:
        dispatch.send_on_commit(dispatch.SEND_NOTIFICATION_WEBHOOK, notification.pk)


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
    # Email and webhook (if the person opted in) go out after the finishing commit.
    enqueue_delivery(notification=notification)
    return notification

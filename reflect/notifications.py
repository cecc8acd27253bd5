"""Notifications: read state, and delivery by email and webhook.

Creating one belongs to finishing a reflection (`reflections.notify`).
"""

from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification, User


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
    from django.conf import settings

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
    from django.conf import settings
    from django.core.mail import send_mail

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
    from . import webhooks

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
    from .tasks import send_notification_email, send_notification_webhook

    user = notification.user
    if user.notify_by_email and user.email:
        send_notification_email.delay_on_commit(notification.pk)
    if user.webhook_url:
        send_notification_webhook.delay_on_commit(notification.pk)

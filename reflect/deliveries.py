"""Deliveries: the email and webhook owed for a notification, sent from an outbox.

`owe` writes one `Delivery` row per channel the person chose, inside the transaction that
finishes the reflection, and wakes a sender after the commit. `deliver` claims a row with a
conditional UPDATE, sends it, and records the outcome; a transient failure sets the next
attempt after a backoff. `resend_owed` (the sweep) wakes senders for rows left pending by
a lost message, a dead worker or a queue that was down.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from . import dispatch, webhooks
from .models import Delivery, Notification, User

log = logging.getLogger(__name__)


def owe(*, notification: Notification) -> list[Delivery]:
    """Record the deliveries a new notification owes, and send each after the commit."""
    user = notification.user
    wanted = []
    if user.notify_by_email and user.email:
        wanted.append((Delivery.Channel.EMAIL, user.email))
    if user.webhook_url:
        wanted.append((Delivery.Channel.WEBHOOK, user.webhook_url))
    now = timezone.now()
    owed = [
        Delivery.objects.create(
            notification=notification,
            channel=channel,
            destination=destination,
            next_attempt_at=now,
        )
        for channel, destination in wanted
    ]
    for delivery in owed:
        dispatch.send_on_commit(dispatch.SEND_DELIVERY, delivery.pk)
    return owed


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: float | None = None


def deliver(*, delivery_id: int) -> Outcome | None:
    """Send one owed delivery; None when there is nothing to do (sent, failed, not due, or
    another sender holds it)."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.REFLECT_DELIVERY_LEASE_SECONDS)
    claimed = (
        Delivery.objects.filter(
            pk=delivery_id,
            status=Delivery.Status.PENDING,
            next_attempt_at__lte=now,
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=lease, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related(
        "notification__user", "notification__reflection"
    ).get(pk=delivery_id)
    mine = Delivery.objects.filter(pk=delivery_id, claimed_until=lease)
    try:
        _send(delivery)
    except webhooks.WebhookRefused as error:
        mine.update(
            status=Delivery.Status.FAILED,
            last_error=str(error)[:500],
            claimed_until=None,
        )
        log.warning("delivery %s refused: %s", delivery.uuid, error)
        return Outcome(Delivery.Status.FAILED)
    except Exception as error:  # SMTP and HTTP failures alike are worth another try
        return _failed_attempt(delivery, mine, error)
    mine.update(
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        claimed_until=None,
    )
    return Outcome(Delivery.Status.SENT)


def _failed_attempt(delivery: Delivery, mine: QuerySet, error: Exception) -> Outcome:
    message = str(error)[:500] or type(error).__name__
    if delivery.attempts >= settings.REFLECT_DELIVERY_MAX_ATTEMPTS:
        mine.update(
            status=Delivery.Status.FAILED, last_error=message, claimed_until=None
        )
        log.warning("delivery %s failed for good: %s", delivery.uuid, message)
        return Outcome(Delivery.Status.FAILED)
    # 10 s, 20 s, 40 s ... with jitter, so a receiver that is down briefly still gets it.
    delay = min(
        settings.REFLECT_DELIVERY_BACKOFF_MAX_SECONDS,
        settings.REFLECT_DELIVERY_BACKOFF_SECONDS * 2 ** (delivery.attempts - 1),
    ) * random.uniform(0.8, 1.2)
    mine.update(
        last_error=message,
        claimed_until=None,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return Outcome(Delivery.Status.PENDING, retry_in=delay)


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    payload = summary_payload(notification)
    if delivery.channel == Delivery.Channel.EMAIL:
        lines = [notification.message, "", payload["summary"], ""]
        lines += [f"- {f['title']}" for f in payload["findings"]]
        lines += ["", payload["url"]]
        EmailMessage(
            f"Reflect: {notification.message}",
            "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            [delivery.destination],
            # The same id on every attempt: a mail client shows a resent copy once.
            headers={"Message-ID": f"<{delivery.uuid}@reflect>"},
        ).send()
    else:
        webhooks.post(
            url=delivery.destination,
            secret=notification.user.webhook_secret,
            payload={**payload, "delivery_id": str(delivery.uuid)},
            delivery_id=str(delivery.uuid),
        )


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
        "cost_usd": None if reflection.cost_usd is None else str(reflection.cost_usd),
        "url": f"{settings.REFLECT_BASE_URL}/reflections/{reflection.pk}/",
    }


def resend_owed(*, first_resend: Callable[[str], bool]) -> list[int]:
    """Wake a sender for each pending delivery that is due and not held; the ids woken.

    `first_resend(name)` limits it to once per window per row (the sweep's Redis mark)."""
    now = timezone.now()
    overdue = now - timedelta(seconds=settings.REFLECT_DELIVERY_RESEND_AFTER_SECONDS)
    due = Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=overdue
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    woken = []
    for pk in due.values_list("pk", flat=True)[:500]:
        if first_resend(f"delivery:{pk}"):
            dispatch.send_on_commit(dispatch.SEND_DELIVERY, pk)
            woken.append(pk)
    return woken


def recent(*, user: User, limit: int = 10) -> QuerySet[Delivery]:
    """The person's latest deliveries, for the settings page."""
    return Delivery.objects.filter(notification__user=user).select_related(
        "notification"
    )[:limit]

"""Celery tasks: adapters that load by id, call one domain function and record state.

Services never import this module: they start a task by its name (`reflect.dispatch`).
"""

import logging
import random

from celery import shared_task
from django.conf import settings

from . import documents, inbox, notifications, schedules, sweeps, webhooks
from .models import Notification
from .reflections import claims, running

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    soft_time_limit=settings.REFLECT_EXTRACTION_SOFT_TIME_LIMIT,
    time_limit=settings.REFLECT_EXTRACTION_SOFT_TIME_LIMIT + 30,
)
def extract_document(document_id: int) -> None:
    documents.extract_document(document_id=document_id)


def _notification(notification_id: int) -> Notification | None:
    return (
        Notification.objects.select_related("user", "reflection")
        .filter(pk=notification_id)
        .first()
    )


@shared_task(acks_late=True, time_limit=120)
def send_notification_email(notification_id: int) -> None:
    notification = _notification(notification_id)
    if notification:
        notifications.send_email(notification=notification)


@shared_task(
    acks_late=True,
    time_limit=120,
    max_retries=settings.REFLECT_WEBHOOK_MAX_RETRIES,
)
def send_notification_webhook(notification_id: int) -> None:
    notification = _notification(notification_id)
    if notification is None:
        return
    try:
        notifications.send_webhook(notification=notification)
    except webhooks.WebhookRefused as error:
        logger.warning(
            "webhook for notification %s refused: %s", notification_id, error
        )
    except webhooks.WebhookFailed as error:
        # 10 s, 20 s, 40 s ... with jitter, so a receiver that is down briefly still gets it.
        countdown = min(
            600, 10 * 2**send_notification_webhook.request.retries
        ) * random.uniform(0.8, 1.2)
        raise send_notification_webhook.retry(exc=error, countdown=countdown) from error


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=settings.REFLECT_SOFT_TIME_LIMIT,
    time_limit=settings.REFLECT_HARD_TIME_LIMIT,
    max_retries=settings.REFLECT_TASK_MAX_RETRIES,
)
def run_reflection(self, reflection_id: int) -> None:
    """Run one reflection; transient failures come back after a backoff that honours
    Retry-After, with the claim released meanwhile (the service did that)."""
    try:
        running.run_reflection(
            reflection_id=reflection_id,
            final_attempt=self.request.retries >= self.max_retries,
        )
    except claims.RetryLater as exc:
        countdown = running.retry_delay(
            retries=self.request.retries, retry_after=exc.retry_after
        )
        raise self.retry(countdown=countdown, exc=exc) from None


@shared_task(acks_late=True, time_limit=300)
def run_due_schedules() -> None:
    schedules.run_due_schedules()


@shared_task(acks_late=True, time_limit=120)
def sweep_stale_work() -> None:
    """Beat's sweep for work whose worker died or whose queue message was lost."""
    sweeps.sweep_stale_work()


@shared_task(acks_late=True, time_limit=600)
def scan_inbox() -> None:
    inbox.scan_inbox()

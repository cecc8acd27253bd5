"""Celery tasks: adapters that load by id, call one domain function and record state.

Services never import this module: they start a task by its name (`reflect.dispatch`).
"""

import logging

from celery import shared_task
from django.conf import settings

from . import deliveries, documents, inbox, schedules, sweeps
from .reflections import claims, running

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    soft_time_limit=settings.REFLECT_EXTRACTION_SOFT_TIME_LIMIT,
    time_limit=settings.REFLECT_EXTRACTION_SOFT_TIME_LIMIT + 30,
)
def extract_document(document_id: int) -> None:
    documents.extract_document(document_id=document_id)


@shared_task(bind=True, acks_late=True, time_limit=120, max_retries=None)
def send_delivery(self, delivery_id: int) -> None:
    """Send one owed email or webhook; the row keeps the attempts, so retries are unbounded
    here and bounded by REFLECT_DELIVERY_MAX_ATTEMPTS there."""
    outcome = deliveries.deliver(delivery_id=delivery_id)
    if outcome is not None and outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)


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

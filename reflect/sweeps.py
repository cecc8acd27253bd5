"""The sweep: work left behind by a dead worker or a lost queue message is sent again.

Run by beat every REFLECT_SWEEP_INTERVAL_SECONDS; safe to run twice at once (two beats) and
any number of times, because every change is a conditional UPDATE on the state it saw:
- a running reflection whose claim is dead (its claim key expired in Redis, or no progress for
  REFLECT_CLAIM_STALE_SECONDS) goes back to queued and is sent again; the
  REFLECT_SWEEP_MAX_ATTEMPTS-th time its worker is lost it fails with a retryable error instead;
- a queued reflection nobody touched for REFLECT_REQUEUE_AFTER_SECONDS is sent again (its
  message was lost, e.g. Redis restarted without persistence). A duplicate message is harmless:
  the claim is conditional, so the second delivery finds nothing to do;
- a document still pending or extracting is sent again on the same terms, and fails after
  REFLECT_EXTRACTION_GIVE_UP_SECONDS;
- messages that could not be published while Redis was down are published first, so work
  saved during an outage starts within one sweep interval of Redis coming back;
- an owed email or webhook still pending REFLECT_DELIVERY_RESEND_AFTER_SECONDS after it was
  due is sent again (the outbox, `reflect.deliveries`).
Re-sending is limited to once per REFLECT_REQUEUE_AFTER_SECONDS per row by a key in Redis, so
a long outage of the workers does not pile up duplicates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import deliveries, dispatch, events, liveness, redis_client
from .celery import app
from .documents import document_event
from .models import Document, Reflection
from .notifications import notify
from .reflections.live import publish

log = logging.getLogger(__name__)
RESENT_PREFIX = "reflect:resent:"  # + queue name: test runs sharing a Redis stay apart


@dataclass
class SweepReport:
    released: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    resent: list[int] = field(default_factory=list)
    documents_resent: list[int] = field(default_factory=list)
    documents_failed: list[int] = field(default_factory=list)
    deliveries_resent: list[int] = field(default_factory=list)
    unsent_sent: int = 0


def sweep_stale_work() -> SweepReport:
    """Release dead claims and re-send lost messages; returns what it did (for logs and tests)."""
    report = SweepReport()
    report.unsent_sent = dispatch.resend_unsent()
    _release_dead_claims(report)
    _resend_queued(report)
    _sweep_documents(report)
    report.deliveries_resent = deliveries.resend_owed(first_resend=_first_resend)
    if any(vars(report).values()):
        log.info("sweep: %s", report)
    return report


def _release_dead_claims(report: SweepReport) -> None:
    now = timezone.now()
    grace = now - timedelta(seconds=settings.REFLECT_DEAD_WORKER_GRACE_SECONDS)
    stale = now - timedelta(seconds=settings.REFLECT_CLAIM_STALE_SECONDS)
    running = list(
        Reflection.objects.filter(
            status=Reflection.Status.RUNNING, heartbeat_at__lt=grace
        ).values_list("pk", "claimed_by", "heartbeat_at", "manifest")
    )
    if not running:
        return
    dead = liveness.dead_claims([claimed_by for _, claimed_by, _, _ in running])
    for pk, claimed_by, heartbeat_at, manifest in running:
        if heartbeat_at >= stale and (dead is None or claimed_by not in dead):
            continue
        # Conditional on the claim seen: a worker that reported meanwhile keeps its reflection.
        mine = Reflection.objects.filter(
            pk=pk,
            status=Reflection.Status.RUNNING,
            claimed_by=claimed_by,
            heartbeat_at=heartbeat_at,
        )
        # Counted apart from attempts, which task retries after transient errors also raise.
        manifest = {
            **(manifest or {}),
            "workers_lost": (manifest or {}).get("workers_lost", 0) + 1,
        }
        if manifest["workers_lost"] >= settings.REFLECT_SWEEP_MAX_ATTEMPTS:
            if _fail_reflection(
                mine, pk=pk, lost=manifest["workers_lost"], manifest=manifest
            ):
                report.failed.append(pk)
            continue
        released = mine.update(
            status=Reflection.Status.QUEUED,
            claimed_by="",
            heartbeat_at=now,
            manifest=manifest,
            phase="waiting for a worker (the last one stopped)",
        )
        if released:
            log.warning("reflection %s: worker %s is gone, sent again", pk, claimed_by)
            report.released.append(pk)
            _publish(pk)
            _resend_reflection(pk, force=True)


def _fail_reflection(
    mine: QuerySet[Reflection], *, pk: int, lost: int, manifest: dict
) -> bool:
    with transaction.atomic():
        failed = mine.update(
            status=Reflection.Status.FAILED,
            error_kind=Reflection.ErrorKind.RETRYABLE,
            error=f"the worker running this reflection stopped {lost} times (it may be too "
            "large for the workers' memory); retry it, or ask over fewer documents",
            phase="",
            claimed_by="",
            finished_at=timezone.now(),
            manifest=manifest,
        )
        if not failed:
            return False
        notify(reflection=Reflection.objects.get(pk=pk))
    _publish(pk)
    return True


def _resend_queued(report: SweepReport) -> None:
    before = timezone.now() - timedelta(seconds=settings.REFLECT_REQUEUE_AFTER_SECONDS)
    # heartbeat_at is when a worker last released it; created_at when it was never claimed.
    waiting = Reflection.objects.filter(status=Reflection.Status.QUEUED).filter(
        Q(heartbeat_at__lt=before) | Q(heartbeat_at__isnull=True, created_at__lt=before)
    )
    for pk, phase, released_at, manifest in waiting.values_list(
        "pk", "phase", "heartbeat_at", "manifest"
    ):
        if phase == "waiting to retry" and not _retry_overdue(
            released_at, manifest or {}, before
        ):
            continue
        if _resend_reflection(pk, force=False):
            report.resent.append(pk)


def _retry_overdue(
    released_at: datetime | None, manifest: dict, before: datetime
) -> bool:
    # A task retry waits in a worker for up to the backoff maximum, or the server's longer
    # Retry-After; only after that is its message presumed lost.
    wait = max(
        settings.REFLECT_RETRY_BACKOFF_MAX_SECONDS, manifest.get("retry_after") or 0
    )
    return released_at is not None and released_at < before - timedelta(seconds=wait)


def _resend_reflection(pk: int, *, force: bool) -> bool:
    if not force and not _first_resend(f"reflection:{pk}"):
        return False
    dispatch.send_on_commit(dispatch.RUN_REFLECTION, pk)
    return True


def _sweep_documents(report: SweepReport) -> None:
    now = timezone.now()
    unfinished = Document.objects.filter(
        status__in=[Document.Status.PENDING, Document.Status.EXTRACTING]
    )
    give_up = now - timedelta(seconds=settings.REFLECT_EXTRACTION_GIVE_UP_SECONDS)
    for document in unfinished.filter(created_at__lt=give_up):
        failed = Document.objects.filter(pk=document.pk, status=document.status).update(
            status=Document.Status.FAILED,
            extracted_at=now,
            error="extraction did not finish (the workers may have been down or stopped on "
            "this file); upload it again to retry",
        )
        if failed:
            document.refresh_from_db()
            events.publish(document.owner_id, document_event(document))
            report.documents_failed.append(document.pk)
    before = now - timedelta(seconds=settings.REFLECT_REQUEUE_AFTER_SECONDS)
    for pk in unfinished.filter(created_at__lt=before).values_list("pk", flat=True):
        # Extraction claims pending or extracting rows, so a duplicate only repeats the work.
        if _first_resend(f"document:{pk}"):
            dispatch.send_on_commit(dispatch.EXTRACT_DOCUMENT, pk)
            report.documents_resent.append(pk)


def _first_resend(name: str) -> bool:
    """True for the first sweep to re-send `name` in a REFLECT_REQUEUE_AFTER_SECONDS window."""
    try:
        key = f"{RESENT_PREFIX}{app.conf.task_default_queue}:{name}"
        return bool(
            redis_client.connection().set(
                key, "1", nx=True, ex=max(1, settings.REFLECT_REQUEUE_AFTER_SECONDS)
            )
        )
    except redis.RedisError:
        return False  # the queue is down too: nothing could be sent anyway


def _publish(pk: int) -> None:
    publish(Reflection.objects.get(pk=pk))

"""Claims: a worker takes a reflection with a conditional UPDATE, and every later write
is conditional on still holding it, so a cancel or a takeover wins over a stale worker."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .. import liveness
from ..models import Reflection
from ..notifications import notify
from ..reasoning import errors
from ..reasoning.background import Slot
from ..reasoning.client import ModelClient
from ..reasoning.errors import ReasoningError
from ..reasoning.pricing import at_tier, call_cost
from ..reasoning.usage import add_usage, empty_usage
from .live import publish


class RetryLater(Exception):
    """A transient failure: the claim was released, the caller should retry after a delay."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Stopped(Exception):
    """The reflection was cancelled or taken over by another worker while this one ran."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(reflection_id: int, worker: str) -> Reflection | None:
    now = timezone.now()
    stale = now - timedelta(seconds=settings.REFLECT_CLAIM_STALE_SECONDS)
    claimable = Q(status=Reflection.Status.QUEUED) | Q(
        status=Reflection.Status.RUNNING, heartbeat_at__lt=stale
    )
    dead = _dead_claim(reflection_id, now)
    if dead is not None:
        # A redelivered or re-sent task takes over from a worker that died mid-run.
        claimable |= Q(status=Reflection.Status.RUNNING, claimed_by=dead)
    claimed = Reflection.objects.filter(claimable, pk=reflection_id).update(
        status=Reflection.Status.RUNNING,
        claimed_by=worker,
        claimed_at=now,
        heartbeat_at=now,
        started_at=Coalesce(F("started_at"), Value(now, output_field=DateTimeField())),
        attempts=F("attempts") + 1,
        phase="preparing",
    )
    if not claimed:
        return None
    return Reflection.objects.get(pk=reflection_id)


def _dead_claim(reflection_id: int, now: datetime) -> str | None:
    """Who holds this running reflection's claim, if that process is gone."""
    grace = now - timedelta(seconds=settings.REFLECT_DEAD_WORKER_GRACE_SECONDS)
    holder = (
        Reflection.objects.filter(
            pk=reflection_id, status=Reflection.Status.RUNNING, heartbeat_at__lt=grace
        )
        .values_list("claimed_by", flat=True)
        .first()
    )
    if not holder or holder not in (liveness.dead_claims([holder]) or ()):
        return None
    return holder


class ClaimedRun:
    """One claimed execution of a reflection; every write is conditional on the claim."""

    def __init__(self, reflection: Reflection, worker: str) -> None:
        self.reflection = reflection
        self.worker = worker
        self.manifest = dict(reflection.manifest or {})
        self.manifest.setdefault("calls", [])
        self.manifest.setdefault("replans", 0)

    # State ------------------------------------------------------------------------------------

    def _mine(self) -> QuerySet[Reflection]:
        return Reflection.objects.filter(
            pk=self.reflection.pk,
            status=Reflection.Status.RUNNING,
            claimed_by=self.worker,
        )

    def progress(self, **fields: object) -> None:
        """Save progress and the manifest, prove this worker alive; stop if cancelled."""
        fields.update(manifest=self.manifest, heartbeat_at=timezone.now())
        if not self._mine().update(**fields):
            raise Stopped
        for name, value in fields.items():
            setattr(self.reflection, name, value)
        publish(self.reflection)

    def add_usage(self, model: str, usage: dict, *, service_tier: str = "") -> None:
        """Record a call's tokens and cost at once: paid for even if the run fails later."""
        cost = at_tier(call_cost(model, usage), service_tier)
        with transaction.atomic():
            row = Reflection.objects.select_for_update().get(pk=self.reflection.pk)
            row.usage = add_usage(row.usage or empty_usage(), usage)
            # One unpriced call makes the total unknown (None): a partial sum would read
            # as the whole cost.
            row.cost_usd = (
                None if cost is None or row.cost_usd is None else row.cost_usd + cost
            )
            Reflection.objects.filter(pk=row.pk).update(
                usage=row.usage, cost_usd=row.cost_usd
            )
        self.reflection.usage, self.reflection.cost_usd = row.usage, row.cost_usd
        if cost is None and model not in self.manifest.setdefault(
            "unpriced_models", []
        ):
            self.manifest["unpriced_models"].append(model)

    # Background responses ----------------------------------------------------------------------

    def response_slot(self, key: str) -> Slot:
        """Where the call with this key keeps its background response id: saved before the
        wait (a resumed run finds it and re-attaches), and every look at it proves this
        worker alive and stops it once the reflection was cancelled or taken over."""
        return Slot(
            saved=(self.reflection.background_responses or {}).get(key, ""),
            save=lambda response_id: self._keep_response(key, response_id),
            touch=self._still_mine,
        )

    def forget_response(self, key: str) -> str:
        """Drop the response id of a call whose answer is saved; the id, or "" if none."""
        response_id = (self.reflection.background_responses or {}).get(key, "")
        if response_id:
            self._keep_response(key, "")
        return response_id

    def _keep_response(self, key: str, response_id: str) -> None:
        kept = dict(self.reflection.background_responses or {})
        if response_id:
            kept[key] = response_id
        else:
            kept.pop(key, None)
        if not self._mine().update(
            background_responses=kept, heartbeat_at=timezone.now()
        ):
            raise Stopped
        self.reflection.background_responses = kept

    def _still_mine(self) -> None:
        if not self._mine().update(heartbeat_at=timezone.now()):
            raise Stopped

    # Endings ----------------------------------------------------------------------------------

    def fail_or_release(
        self, error: ReasoningError, *, final_attempt: bool
    ) -> Reflection | None:
        if not error.retryable:
            return self.finish_failed(error)
        if final_attempt:
            attempts = self.reflection.attempts
            return self.finish_failed(
                ReasoningError(
                    f"gave up after {attempts} attempt{'s' if attempts != 1 else ''}: {error.message}",
                    kind=errors.RETRYABLE,
                )
            )
        self.manifest["last_transient_error"] = error.message
        # The server's wait, kept so the sweep does not re-send the retry before it is due.
        self.manifest["retry_after"] = error.retry_after
        released = self._mine().update(
            status=Reflection.Status.QUEUED,
            claimed_by="",
            # When the claim was released: the sweep re-sends the retry if its message is lost.
            heartbeat_at=timezone.now(),
            phase="waiting to retry",
            manifest=self.manifest,
        )
        if released:
            self.reflection.refresh_from_db()
            publish(self.reflection)
            raise RetryLater(error.message, retry_after=error.retry_after)
        return None

    def finish_succeeded(self, result: dict) -> Reflection | None:
        return self._finish(
            status=Reflection.Status.SUCCEEDED, result=result, error="", error_kind=""
        )

    def finish_failed(self, error: ReasoningError) -> Reflection | None:
        kind = (
            error.kind
            if error.kind in Reflection.ErrorKind.values
            else Reflection.ErrorKind.INTERNAL
        )
        still_computing = list((self.reflection.background_responses or {}).values())
        finished = self._finish(
            status=Reflection.Status.FAILED,
            result=None,
            error=error.message,
            error_kind=kind,
            # A retry by a person asks afresh rather than re-reading a failed answer.
            background_responses={},
        )
        if finished is not None:
            # Forgotten ids would go on computing (and billing) at the provider.
            cancel_responses(still_computing)
        return finished

    def _finish(self, **fields: object) -> Reflection | None:
        with transaction.atomic():
            finished = self._mine().update(
                **fields,
                manifest=self.manifest,
                phase="",
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
            if not finished:
                return None
            reflection = Reflection.objects.get(pk=self.reflection.pk)
            notify(reflection=reflection)
        publish(reflection)
        return reflection


class Overflow(Exception):
    """A call too long for the model's context: the run re-plans the corpus for it, but a
    step that reads paid answers (a reduce, a consensus merge) fails instead."""


def cancel_responses(response_ids: list[str]) -> None:
    """Cancel background responses at the provider, best effort (each a short request)."""
    if not response_ids:
        return
    client = ModelClient.from_settings()
    try:
        for response_id in response_ids:
            client.cancel_response(response_id)
    finally:
        client.close()

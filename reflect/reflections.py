"""Reflections: the verbs. Views, tasks, the CLI and tests all call these functions.

A reflection freezes its documents (ids and content hashes) when it is created, runs in a
worker that claims it with a conditional UPDATE, and ends with verified findings, the tokens
and cost of every call, one notification and a live event.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import events, liveness, notifications, queue_status
from .models import Collection, Document, Notification, Reflection, ReflectionPart
from .reasoning import citations, errors, planning, providers
from .reasoning import prompt as prompts
from .reasoning.client import SCHEMA_VERSION, ModelClient, add_usage, empty_usage
from .reasoning.errors import CONTEXT_OVERFLOW, ReasoningError
from .reasoning.pricing import call_cost
from .reasoning.sources import SourceDocument

log = logging.getLogger(__name__)

# slug → question; the slugs are the offline analyzer's PRESET_KINDS keys.
PRESETS: dict[str, str] = {
    "blind_spots": "What is the most important thing nobody is paying attention to?",
    "contradictions": "Where do these documents or people contradict each other?",
    "dropped_actions": "Which commitments and action items were dropped or have no owner?",
    "unanswered_questions": "Which questions were asked and never answered?",
    "risks": "What are the biggest risks, and whose job is each?",
    "changes": "What changed between the earliest and the latest documents?",
}
MAX_QUESTION_CHARS = 4_000
MAX_REPLANS = 8
SNAPSHOT = "snapshot"


class ReflectionError(ValueError):
    """The reflection cannot be created or changed as asked; the message says why."""


class RetryLater(Exception):
    """A transient failure: the claim was released, the caller should retry after a delay."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class _Stopped(Exception):
    """The reflection was cancelled or taken over by another worker while this one ran."""


# --- Creating ----------------------------------------------------------------------------------


def _documents_for(
    *,
    owner,
    collection: Collection | None,
    document_ids: Sequence[int] | None,
    parent: Reflection | None,
) -> list[Document]:
    ready = Document.objects.filter(owner=owner, status=Document.Status.READY)
    if collection is not None:
        if collection.owner_id != owner.pk:
            raise ReflectionError("that collection belongs to someone else")
        documents = list(ready.filter(collections=collection).order_by("id"))
        if not documents:
            raise ReflectionError(
                f"the collection “{collection.name}” has no ready documents"
            )
        return documents
    if document_ids:
        wanted = {int(pk) for pk in document_ids}
        documents = list(ready.filter(pk__in=wanted).order_by("id"))
        missing = wanted - {d.pk for d in documents}
        if missing:
            listed = ", ".join(str(pk) for pk in sorted(missing))
            raise ReflectionError(
                f"these documents are not yours or not ready: {listed}"
            )
        return documents
    if parent is not None:
        documents = list(ready.filter(pk__in=parent.document_ids).order_by("id"))
        if not documents:
            raise ReflectionError(
                "none of the original reflection's documents is still ready"
            )
        return documents
    raise ReflectionError("choose a collection or at least one document")


def _question_for(question: str, preset: str) -> str:
    if preset and preset not in PRESETS:
        raise ReflectionError(
            f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}"
        )
    question = (question or "").strip() or PRESETS.get(preset, "")
    if not question:
        raise ReflectionError("ask a question or choose a preset")
    if len(question) > MAX_QUESTION_CHARS:
        raise ReflectionError(
            f"the question is longer than {MAX_QUESTION_CHARS} characters"
        )
    return question


def _effort_for(effort: str | None) -> str:
    effort = effort or settings.REFLECT_EFFORT
    if effort not in Reflection.Effort.values:
        raise ReflectionError("effort must be low, medium or high")
    return effort


def _provider_for(provider: str | None) -> str:
    try:
        return providers.resolve_provider(provider)
    except ValueError as exc:
        raise ReflectionError(str(exc)) from None


@dataclass(frozen=True)
class _Request:
    question: str
    effort: str
    provider: str
    documents: list[Document]
    estimate: dict


def _prepare(
    *,
    owner,
    question: str,
    preset: str,
    collection: Collection | None,
    document_ids: Sequence[int] | None,
    effort: str | None,
    provider: str | None,
    parent: Reflection | None,
) -> _Request:
    """Validate a question and its documents, and estimate what it would send and cost."""
    if parent is not None and parent.owner_id != owner.pk:
        raise ReflectionError("that reflection belongs to someone else")
    question = _question_for(question, preset)
    effort = _effort_for(effort)
    provider = _provider_for(provider)
    documents = _documents_for(
        owner=owner, collection=collection, document_ids=document_ids, parent=parent
    )
    sources = [SourceDocument.from_document(d) for d in documents]
    estimate = _estimate(
        sources,
        question=asked_question(question, parent),
        effort=effort,
        provider=provider,
    )
    return _Request(question, effort, provider, documents, estimate)


def asked_question(question: str, parent: Reflection | None) -> str:
    """What the model is asked: the question, and for a follow-up the earlier findings."""
    return prompts.follow_up_question(
        question, parent.result if parent is not None else None
    )


def create_reflection(
    *,
    owner,
    question: str = "",
    preset: str = "",
    collection: Collection | None = None,
    document_ids: Sequence[int] | None = None,
    effort: str | None = None,
    provider: str | None = None,
    parent: Reflection | None = None,
    schedule=None,
    enqueue: bool = True,
) -> Reflection:
    """Freeze the documents, record the question and its estimate, enqueue on commit.

    Documents come from `collection`, else `document_ids`, else the `parent` (a follow-up
    asks of the same documents). Only the owner's ready documents are used. A scheduled run
    passes its `schedule` (the run is linked to it and belongs to its collection).
    """
    request = _prepare(
        owner=owner,
        question=question,
        preset=preset,
        collection=collection,
        document_ids=document_ids,
        effort=effort,
        provider=provider,
        parent=parent,
    )
    model, map_model = providers.models_for(request.provider)
    reflection = Reflection.objects.create(
        owner=owner,
        collection=collection
        if collection is not None
        else (
            schedule.collection
            if schedule is not None
            else (parent.collection if parent else None)
        ),
        parent=parent,
        schedule=schedule,
        question=request.question,
        preset=preset,
        provider=request.provider,
        model=model,
        map_model=map_model,
        effort=request.effort,
        snapshot=[
            {"id": d.pk, "sha256": d.sha256, "title": d.title}
            for d in request.documents
        ],
        usage=empty_usage(),
        estimate=request.estimate,
    )
    if enqueue:
        _enqueue(reflection)
    return reflection


def _enqueue(reflection: Reflection) -> None:
    from .tasks import run_reflection as run_reflection_task

    # Never raises: with Redis down the reflection stays queued and the sweep sends it later.
    queue_status.send_on_commit(run_reflection_task, reflection.pk)


def _estimate(
    sources: Sequence[SourceDocument], *, question: str, effort: str, provider: str
) -> dict:
    if provider == providers.OFFLINE:
        model, _ = providers.models_for(provider)
        return {
            "model": model,
            "mode": "offline",
            "parts": 1,
            "calls": 0,
            "documents": len(sources),
            "input_tokens": 0,
            "output_tokens": [0, 0],
            "reasoning_tokens": [0, 0],
            "cost_usd": [0.0, 0.0],
            "notes": [],
        }
    ordered = prompts.document_order(sources)
    try:
        plan = planning.make_plan(
            ordered,
            question=question,
            context_tokens=settings.REFLECT_CONTEXT_TOKENS,
            output_reserve=settings.REFLECT_OUTPUT_RESERVE_TOKENS,
        )
    except ValueError as exc:
        raise ReflectionError(str(exc)) from None
    return planning.estimate(
        plan,
        {s.id: s for s in sources},
        question=question,
        effort=effort,
        model=settings.REFLECT_MODEL,
        map_model=settings.REFLECT_MAP_MODEL,
        output_reserve=settings.REFLECT_OUTPUT_RESERVE_TOKENS,
    )


def estimate_reflection(
    *,
    owner,
    question: str = "",
    preset: str = "",
    collection: Collection | None = None,
    document_ids: Sequence[int] | None = None,
    effort: str | None = None,
    provider: str | None = None,
    parent: Reflection | None = None,
) -> dict:
    """What a reflection would send and cost, before creating it.

    Returns {"model", "map_model", "mode" (single | map_reduce | offline), "parts", "calls",
    "documents", "input_tokens" (exact o200k count of the first stage), "reduce_input_tokens"
    ([low, high] or None), "output_tokens" [low, high] (reasoning included),
    "reasoning_tokens" [low, high], "cost_usd" [low, high] or None when unpriced, "notes"}.
    """
    return _prepare(
        owner=owner,
        question=question,
        preset=preset,
        collection=collection,
        document_ids=document_ids,
        effort=effort,
        provider=provider,
        parent=parent,
    ).estimate


# --- Cancelling and retrying -----------------------------------------------------------------


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
        _publish(reflection)
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
    _publish(reflection)
    if enqueue:
        _enqueue(reflection)
    return reflection


def retry_delay(*, retries: int, retry_after: float | None = None) -> float:
    """Seconds before retry number `retries` + 1: exponential with jitter, never under
    the server's Retry-After."""
    base = settings.REFLECT_RETRY_BACKOFF_SECONDS * (2 ** min(retries, 20))
    delay = min(base, settings.REFLECT_RETRY_BACKOFF_MAX_SECONDS) * random.uniform(
        0.5, 1.0
    )
    return max(delay, retry_after or 0.0)


# --- Running -------------------------------------------------------------------------------------


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _claim(reflection_id: int, worker: str) -> Reflection | None:
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


def _dead_claim(reflection_id: int, now) -> str | None:
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


def run_reflection(
    *, reflection_id: int, worker: str = "", final_attempt: bool = True
) -> Reflection | None:
    """Claim and run a reflection. Returns it when this call finished it, None when there was
    nothing to do (already finished, running elsewhere, cancelled or taken over meanwhile).

    A transient failure with `final_attempt` False releases the claim and raises
    `RetryLater`; otherwise every failure ends as status failed with a reason.
    """
    worker = worker or _worker_name()
    # The claim's key in Redis lives as long as this process runs it: the sweep tells a killed
    # worker from a slow model call by it.
    with liveness.claim_heartbeat(worker):
        return _run_claimed(reflection_id, worker, final_attempt=final_attempt)


def _run_claimed(
    reflection_id: int, worker: str, *, final_attempt: bool
) -> Reflection | None:
    reflection = _claim(reflection_id, worker)
    if reflection is None:
        return None
    _publish(reflection)
    run = _Run(reflection, worker)
    try:
        result = run.execute()
    except _Stopped:
        return None
    except SoftTimeLimitExceeded:
        error = ReasoningError("the run reached its time limit", kind=errors.RETRYABLE)
        return run.fail_or_release(error, final_attempt=final_attempt)
    except ReasoningError as error:
        return run.fail_or_release(error, final_attempt=final_attempt)
    except Exception:
        log.exception("reflection %s failed unexpectedly", reflection_id)
        error = ReasoningError(
            "an internal error stopped this reflection; it has been logged",
            kind="internal",
        )
        return run.finish_failed(error)
    return run.finish_succeeded(result)


class _Run:
    """One claimed execution of a reflection; every write is conditional on the claim."""

    def __init__(self, reflection: Reflection, worker: str) -> None:
        self.reflection = reflection
        self.worker = worker
        self.manifest = dict(reflection.manifest or {})
        self.manifest.setdefault("calls", [])
        self.manifest.setdefault("replans", 0)
        self._client: ModelClient | None = None
        self.asked = asked_question(reflection.question, reflection.parent)

    # State ------------------------------------------------------------------------------------

    def _mine(self):
        return Reflection.objects.filter(
            pk=self.reflection.pk,
            status=Reflection.Status.RUNNING,
            claimed_by=self.worker,
        )

    def progress(self, **fields) -> None:
        """Save progress and the manifest, prove this worker alive; stop if cancelled."""
        fields.update(manifest=self.manifest, heartbeat_at=timezone.now())
        if not self._mine().update(**fields):
            raise _Stopped
        for name, value in fields.items():
            setattr(self.reflection, name, value)
        _publish(self.reflection)

    def add_usage(self, model: str, usage: dict) -> None:
        """Record a call's tokens and cost at once: paid for even if the run fails later."""
        cost = call_cost(model, usage)
        with transaction.atomic():
            row = Reflection.objects.select_for_update().get(pk=self.reflection.pk)
            row.usage = add_usage(row.usage or empty_usage(), usage)
            row.cost_usd = (row.cost_usd or Decimal("0")) + (cost or Decimal("0"))
            Reflection.objects.filter(pk=row.pk).update(
                usage=row.usage, cost_usd=row.cost_usd
            )
        self.reflection.usage, self.reflection.cost_usd = row.usage, row.cost_usd
        if cost is None and model not in self.manifest.setdefault(
            "unpriced_models", []
        ):
            self.manifest["unpriced_models"].append(model)

    # Steps ------------------------------------------------------------------------------------

    def load_snapshot(self) -> list[SourceDocument]:
        """The snapshot's documents as they were; deleted or changed ones are listed, not read."""
        snapshot = self.reflection.snapshot
        current = {
            d.pk: d
            for d in Document.objects.filter(
                pk__in=[item["id"] for item in snapshot],
                owner_id=self.reflection.owner_id,
            )
        }
        sources, left_out = [], []
        for item in snapshot:
            document = current.get(item["id"])
            if document is None:
                reason = "deleted since the question was asked"
            elif document.sha256 != item["sha256"]:
                reason = "its content changed since the question was asked"
            elif document.status != Document.Status.READY:
                reason = "its text is not ready (being extracted again?)"
            else:
                sources.append(SourceDocument.from_document(document))
                continue
            left_out.append(
                {"id": item["id"], "title": item["title"], "reason": reason}
            )
        self.manifest["documents"] = [
            {"id": s.id, "title": s.title, "sha256": s.sha256}
            for s in prompts.document_order(sources)
        ]
        self.manifest["left_out"] = left_out
        if not sources:
            raise ReasoningError(
                "none of the reflection's documents is still available", kind=SNAPSHOT
            )
        return sources

    def execute(self) -> dict:
        sources = self.load_snapshot()
        if self.reflection.provider == providers.OFFLINE:
            self.manifest["mode"] = "offline"
            self.progress(phase="analysing", parts_done=0, parts_total=1)
            result = providers.run_offline(
                prompts.document_order(sources), preset=self.reflection.preset
            )
        else:
            result = self.ask_model(sources)
        self.progress(phase="verifying")
        return citations.verify_result(result, {s.id: s for s in sources})

    @property
    def client(self) -> ModelClient:
        if self._client is None:
            self._client = ModelClient.from_settings()
        return self._client

    def ask_model(self, sources: list[SourceDocument]) -> dict:
        ordered = prompts.document_order(sources)
        by_id = {s.id: s for s in ordered}
        try:
            for _ in range(MAX_REPLANS):
                try:
                    plan = planning.make_plan(
                        ordered,
                        question=self.asked,
                        context_tokens=settings.REFLECT_CONTEXT_TOKENS,
                        output_reserve=settings.REFLECT_OUTPUT_RESERVE_TOKENS,
                        max_batch_tokens=self.manifest.get("max_batch_tokens"),
                    )
                except ValueError as exc:
                    raise ReasoningError(str(exc), kind=CONTEXT_OVERFLOW) from None
                self.manifest["mode"] = plan.mode
                self.manifest["notes"] = plan.notes
                self.manifest["plan"] = [
                    [piece.describe(by_id[piece.document_id]) for piece in batch]
                    for batch in plan.batches
                ]
                try:
                    if plan.mode == "single":
                        return self.single(plan, by_id)
                    return self.map_reduce(plan, by_id)
                except _Overflow as overflow:
                    smaller = (
                        plan.corpus_tokens if plan.mode == "single" else plan.budget
                    ) // 2
                    if smaller < planning.MIN_BATCH_TOKENS:
                        raise ReasoningError(
                            f"the model's context is too small even for small parts: {overflow}",
                            kind=CONTEXT_OVERFLOW,
                        ) from None
                    log.info(
                        "reflection %s: context overflow, re-planning at %s tokens",
                        self.reflection.pk,
                        smaller,
                    )
                    self.manifest["max_batch_tokens"] = smaller
                    self.manifest["replans"] += 1
            raise ReasoningError(
                "the corpus could not be split to fit the model", kind=CONTEXT_OVERFLOW
            )
        finally:
            if self._client is not None:
                self._client.close()

    def call(
        self,
        *,
        step: str,
        index: int,
        model: str,
        prompt: prompts.Prompt,
        cache_key: str,
        slices: list[dict],
    ) -> dict:
        expected = planning.count_tokens(
            prompt.instructions + prompt.corpus + prompt.question
        )
        record = {
            "step": step,
            "index": index,
            "model": model,
            "documents": slices,
            "expected_input_tokens": expected,
        }
        self.manifest["calls"].append(record)
        try:
            reply = self.client.complete(
                model=model,
                effort=self.reflection.effort,
                prompt=prompt,
                max_output_tokens=settings.REFLECT_OUTPUT_RESERVE_TOKENS,
                cache_key=cache_key,
                expected_input_tokens=expected,
            )
        except ReasoningError as error:
            record["error"] = error.message
            if error.usage:
                record["usage"] = error.usage
                self.add_usage(model, error.usage)
            if error.kind == CONTEXT_OVERFLOW:
                raise _Overflow(error.message) from error
            raise
        record["usage"] = reply.usage
        record["structured_output"] = reply.structured
        self.add_usage(model, reply.usage)
        return reply.data

    def single(self, plan: planning.Plan, by_id: dict[int, SourceDocument]) -> dict:
        self.progress(phase="part 1 of 1", parts_done=0, parts_total=1)
        documents = list(by_id.values())
        prompt = prompts.Prompt(
            prompts.SINGLE_INSTRUCTIONS, planning.render_corpus(documents), self.asked
        )
        key = prompts.cache_key(
            [d.sha256 for d in documents],
            model=self.reflection.model,
            schema_version=SCHEMA_VERSION,
        )
        result = self.call(
            step="single",
            index=1,
            model=self.reflection.model,
            prompt=prompt,
            cache_key=key,
            slices=self.manifest["plan"][0],
        )
        self.progress(parts_done=1)
        return result

    def map_reduce(self, plan: planning.Plan, by_id: dict[int, SourceDocument]) -> dict:
        total = plan.parts
        model, map_model = (
            self.reflection.model,
            self.reflection.map_model or self.reflection.model,
        )
        notes = []
        for number, batch in enumerate(plan.batches, 1):
            fingerprints = [
                f"{by_id[p.document_id].sha256}:{p.start}:{p.end}" for p in batch
            ]
            key = _part_key(
                fingerprints,
                model=map_model,
                effort=self.reflection.effort,
                question=self.asked,
            )
            slices = self.manifest["plan"][number - 1]
            done = ReflectionPart.objects.filter(
                reflection=self.reflection, key=key
            ).first()
            if done is not None:
                self.manifest["calls"].append(
                    {
                        "step": "map",
                        "index": number,
                        "model": done.model,
                        "documents": slices,
                        "reused": True,
                    }
                )
                notes.append(done.result)
                continue
            self.progress(
                phase=f"part {number} of {total}",
                parts_done=number - 1,
                parts_total=total,
            )
            prompt = prompts.Prompt(
                prompts.MAP_INSTRUCTIONS,
                planning.render_batch(batch, by_id),
                self.asked,
            )
            result = self.call(
                step="map",
                index=number,
                model=map_model,
                prompt=prompt,
                cache_key=prompts.cache_key(
                    fingerprints, model=map_model, schema_version=SCHEMA_VERSION
                ),
                slices=slices,
            )
            ReflectionPart.objects.get_or_create(
                reflection=self.reflection,
                key=key,
                defaults={
                    "index": number,
                    "slices": slices,
                    "result": result,
                    "usage": self.manifest["calls"][-1]["usage"],
                    "model": map_model,
                },
            )
            notes.append(result)
        self.progress(phase="synthesising", parts_done=total, parts_total=total)
        prompt = prompts.Prompt(
            prompts.REDUCE_INSTRUCTIONS, prompts.render_candidates(notes), self.asked
        )
        try:
            return self.call(
                step="reduce",
                index=total + 1,
                model=model,
                prompt=prompt,
                cache_key="",
                slices=[],
            )
        except _Overflow as overflow:
            # Smaller map parts would only make more notes: this cannot be re-planned.
            raise ReasoningError(
                f"the notes from {total} parts are too long to synthesise in one call: {overflow}",
                kind=CONTEXT_OVERFLOW,
            ) from None

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
            _publish(self.reflection)
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
        return self._finish(
            status=Reflection.Status.FAILED,
            result=None,
            error=error.message,
            error_kind=kind,
        )

    def _finish(self, **fields) -> Reflection | None:
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
        _publish(reflection)
        return reflection


class _Overflow(Exception):
    pass


def _part_key(
    fingerprints: Sequence[str], *, model: str, effort: str, question: str
) -> str:
    payload = json.dumps(
        [
            prompts.PROMPT_VERSION,
            SCHEMA_VERSION,
            model,
            effort,
            question,
            list(fingerprints),
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# --- Notifications and events -----------------------------------------------------------------


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
        from .schedules import change_message

        # A scheduled run says in one line what changed since the previous run.
        message = change_message(reflection=reflection) or message
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
    notifications.enqueue_delivery(notification=notification)
    return notification


def reflection_event(reflection: Reflection) -> dict:
    return {
        "type": "reflection",
        "id": reflection.pk,
        "status": reflection.status,
        "phase": reflection.phase,
        "parts_done": reflection.parts_done,
        "parts_total": reflection.parts_total,
    }


def _publish(reflection: Reflection) -> None:
    event = reflection_event(reflection)
    transaction.on_commit(lambda: events.publish(reflection.owner_id, event))


# --- Reading ---------------------------------------------------------------------------------------


def reflection_as_json(reflection: Reflection) -> dict:
    """The reflection as the CLI prints it and an API would return it."""
    result = reflection.result or {}
    usage = {**empty_usage(), **(reflection.usage or {})}
    findings = []
    for finding in result.get("findings", []):
        findings.append(
            {
                "title": finding.get("title", ""),
                "kind": finding.get("kind", "other"),
                "confidence": finding.get("confidence", "low"),
                "observation": finding.get("observation", ""),
                "why_it_matters": finding.get("why_it_matters", ""),
                "supported": bool(finding.get("supported")),
                "evidence": [
                    {
                        "document_id": item.get("document_id"),
                        "document_title": item.get("document_title"),
                        "quote": item.get("quote", ""),
                        "verified": bool(item.get("verified")),
                        "match": item.get("match", "unverified"),
                        "locator": item.get("locator"),
                    }
                    for item in finding.get("evidence", [])
                ],
            }
        )
    return {
        "id": reflection.pk,
        "status": reflection.status,
        "question": reflection.question,
        "preset": reflection.preset,
        "provider": reflection.provider,
        "model": reflection.model,
        "effort": reflection.effort,
        "summary": result.get("summary", ""),
        "findings": findings,
        "follow_up_questions": list(result.get("follow_up_questions", [])),
        "manifest": reflection.manifest,
        "estimate": reflection.estimate,
        "usage": {key: usage[key] for key in empty_usage()},
        "cost_usd": float(reflection.cost_usd),
        "error": reflection.error,
        "error_kind": reflection.error_kind,
    }

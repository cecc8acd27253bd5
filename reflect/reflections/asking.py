"""Asking: validate a question and its documents, estimate it, create and enqueue it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from .. import dispatch
from ..models import Collection, Document, Reflection, Schedule, User
from ..reasoning import detection, estimates, planning, providers
from ..reasoning import prompt as prompts
from ..reasoning.pricing import FLEX_PRICE_FACTOR
from ..reasoning.sources import SourceDocument
from ..reasoning.usage import empty_usage

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


class ReflectionError(ValueError):
    """The reflection cannot be created or changed as asked; the message says why."""


def _documents_for(
    *,
    owner: User,
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
    owner: User,
    question: str,
    preset: str,
    collection: Collection | None,
    document_ids: Sequence[int] | None,
    effort: str | None,
    provider: str | None,
    parent: Reflection | None,
    not_urgent: bool = False,
    consensus: bool = False,
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
        not_urgent=not_urgent,
        consensus=consensus,
    )
    return _Request(question, effort, provider, documents, estimate)


def asked_question(question: str, parent: Reflection | None) -> str:
    """What the model is asked: the question, and for a follow-up the earlier findings."""
    return prompts.follow_up_question(
        question, parent.result if parent is not None else None
    )


def create_reflection(
    *,
    owner: User,
    question: str = "",
    preset: str = "",
    collection: Collection | None = None,
    document_ids: Sequence[int] | None = None,
    effort: str | None = None,
    provider: str | None = None,
    parent: Reflection | None = None,
    schedule: Schedule | None = None,
    not_urgent: bool = False,
    consensus: bool = False,
    enqueue: bool = True,
) -> Reflection:
    """Freeze the documents, record the question and its estimate, enqueue on commit.

    Documents come from `collection`, else `document_ids`, else the `parent` (a follow-up
    asks of the same documents). Only the owner's ready documents are used. A scheduled run
    passes its `schedule` (the run is linked to it and belongs to its collection).
    `not_urgent` asks OpenAI's flex tier: about half price, slower. `consensus` asks
    REFLECT_CONSENSUS_SAMPLES independent answers and merges them by agreement.
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
        not_urgent=not_urgent,
        consensus=consensus,
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
        not_urgent=not_urgent,
        consensus=consensus,
        snapshot=[
            {"id": d.pk, "sha256": d.sha256, "title": d.title}
            for d in request.documents
        ],
        usage=empty_usage(),
        estimate=request.estimate,
    )
    if enqueue:
        queue_run(reflection)
    return reflection


def queue_run(reflection: Reflection) -> None:
    # Never raises: with Redis down the reflection stays queued and the sweep sends it later.
    dispatch.send_on_commit(dispatch.RUN_REFLECTION, reflection.pk)


def _estimate(
    sources: Sequence[SourceDocument],
    *,
    question: str,
    effort: str,
    provider: str,
    not_urgent: bool = False,
    consensus: bool = False,
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
    estimate = estimates.estimate(
        plan,
        {s.id: s for s in sources},
        question=question,
        effort=effort,
        model=settings.REFLECT_MODEL,
        map_model=settings.REFLECT_MAP_MODEL,
        output_reserve=settings.REFLECT_OUTPUT_RESERVE_TOKENS,
        consensus_samples=settings.REFLECT_CONSENSUS_SAMPLES if consensus else 0,
    )
    note = detection.profile_note(
        base_url=settings.OPENAI_BASE_URL,
        api_key=settings.OPENAI_API_KEY,
        configured=settings.REFLECT_BACKEND_PROFILE,
    )
    if note:
        estimate["notes"] = [*estimate.get("notes", []), note]
    return _at_flex_price(estimate) if not_urgent else estimate


def _at_flex_price(estimate: dict) -> dict:
    """A not-urgent estimate at OpenAI's flex price; other servers have no tiers."""
    if settings.REFLECT_BACKEND_PROFILE != "openai":
        return estimate
    standard = estimate.get("cost_usd")
    estimate["service_tier"] = "flex"
    estimate["standard_cost_usd"] = standard
    if standard:
        factor = float(FLEX_PRICE_FACTOR)
        estimate["cost_usd"] = [round(amount * factor, 4) for amount in standard]
    estimate["notes"] = [
        *estimate.get("notes", []),
        "Not urgent: OpenAI's flex tier at about half price"
        + (
            f" (standard tier ${standard[0]:.2g}–${standard[1]:.2g})"
            if standard
            else ""
        )
        + "; slower, and asked at the standard tier if flex has no room.",
    ]
    return estimate


def estimate_reflection(
    *,
    owner: User,
    question: str = "",
    preset: str = "",
    collection: Collection | None = None,
    document_ids: Sequence[int] | None = None,
    effort: str | None = None,
    provider: str | None = None,
    parent: Reflection | None = None,
    not_urgent: bool = False,
    consensus: bool = False,
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
        not_urgent=not_urgent,
        consensus=consensus,
    ).estimate

"""Reflections: estimate or start one, follow its status, read its result, cancel or retry."""

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Header, Query, Router, Schema, Status
from ninja.pagination import paginate

from .. import history, idempotency
from ..models import Collection, Reflection
from ..reflections import asking, lifecycle, shape
from .errors import ApiError
from .responses import answers
from .schemas import (
    EstimateOut,
    Id,
    Page,
    ReflectionIn,
    ReflectionOut,
    ReflectionStatus,
    ReflectionSummaryOut,
    Text,
)

router = Router(tags=["reflections"])


class ReflectionFilters(Schema):
    q: Text | None = None
    status: ReflectionStatus | None = None
    collection_id: Id | None = None


def as_out(reflection: Reflection) -> dict:
    return {
        **shape.reflection_as_json(reflection),
        "collection_id": reflection.collection_id,
        "parent_id": reflection.parent_id,
        "document_ids": reflection.document_ids,
        "phase": reflection.phase,
        "parts_done": reflection.parts_done,
        "parts_total": reflection.parts_total,
        "created_at": reflection.created_at,
        "started_at": reflection.started_at,
        "finished_at": reflection.finished_at,
    }


def owned(request: HttpRequest, reflection_id: int) -> Reflection:
    return get_object_or_404(Reflection, pk=reflection_id, owner=request.auth)


@router.get(
    "/", response=answers({200: list[ReflectionSummaryOut]}), url_name="reflections"
)
@paginate(Page)
def list_reflections(
    request: HttpRequest, filters: Query[ReflectionFilters]
) -> QuerySet[Reflection]:
    """Your reflections, newest first; `q` searches questions, summaries and findings."""
    return history.search(
        owner=request.auth,
        filters={
            "q": filters.q,
            "status": filters.status,
            "collection": filters.collection_id,
        },
    )


@router.post("/", response=answers({200: EstimateOut, 202: ReflectionOut}, 404, 409))
def start_reflection(
    request: HttpRequest,
    payload: ReflectionIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key")] = "",
) -> Status:
    """Queue a reflection (202; poll its `url`), or with `estimate_only` return what it would
    send and cost (200) and create nothing.

    Ask of a collection, of documents, or as a follow-up of an earlier reflection (`parent_id`,
    over the same documents); with a preset, a question, or both.

    With an `Idempotency-Key` header, sending the same request again returns the reflection
    the first one made (nothing is paid twice); the same key with another body is a 409.
    """
    if payload.collection_id and payload.document_ids:
        raise ApiError(422, "choose a collection or documents, not both")
    collection = parent = None
    if payload.collection_id:
        collection = get_object_or_404(
            Collection, pk=payload.collection_id, owner=request.auth
        )
    if payload.parent_id:
        parent = owned(request, payload.parent_id)
    ask = {
        "owner": request.auth,
        "question": payload.question,
        "preset": payload.preset,
        "collection": collection,
        "document_ids": payload.document_ids or None,
        "effort": payload.effort,
        "parent": parent,
        "not_urgent": payload.not_urgent,
        "consensus": payload.consensus,
    }
    try:
        if payload.estimate_only:
            return Status(200, {"estimate": asking.estimate_reflection(**ask)})
        created = idempotency.create_once(
            owner=request.auth,
            scope="api:reflections.create",
            key=idempotency_key,
            body=payload.model_dump_json(),
            create=lambda: (asking.create_reflection(**ask).pk, 202),
        )
    except asking.ReflectionError as error:
        raise ApiError(422, str(error), code="cannot_reflect") from None
    return Status(created.status_code, as_out(owned(request, created.object_id)))


@router.get(
    "/{int:reflection_id}/",
    response=answers({200: ReflectionOut}, 404),
    url_name="reflection",
)
def get_reflection(request: HttpRequest, reflection_id: Id) -> dict:
    """Status and progress while it runs; summary, findings (with verified quotes) and usage once finished."""
    return as_out(owned(request, reflection_id))


@router.post(
    "/{int:reflection_id}/cancel/",
    response=answers({200: ReflectionOut}, 404, 409),
    url_name="reflection-cancel",
)
def cancel_reflection(request: HttpRequest, reflection_id: Id) -> dict:
    reflection = owned(request, reflection_id)
    if not lifecycle.cancel_reflection(reflection=reflection):
        raise ApiError(
            409,
            f"only a queued or running reflection can be cancelled; this one is {reflection.status}",
        )
    return as_out(reflection)


@router.post(
    "/{int:reflection_id}/retry/",
    response=answers({202: ReflectionOut}, 404, 409),
    url_name="reflection-retry",
)
def retry_reflection(request: HttpRequest, reflection_id: Id) -> Status:
    reflection = owned(request, reflection_id)
    try:
        lifecycle.retry_reflection(reflection=reflection)
    except asking.ReflectionError as error:
        raise ApiError(409, f"{error}; this one is {reflection.status}") from None
    return Status(202, as_out(reflection))

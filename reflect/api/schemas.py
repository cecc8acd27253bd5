"""What the API reads and writes. Ids are positive 64-bit integers, text never holds NUL
(PostgreSQL refuses it), and every list answers in pages with a total."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet, TextChoices
from django.urls import reverse
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import AfterValidator

from ..collections import MAX_NAME_CHARS
from ..models import Collection, Document, Notification, Reflection
from ..reasoning.schema import CheckedResult
from ..reflections.asking import MAX_QUESTION_CHARS, PRESETS

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
MAX_PAGE = 200


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


def one_of(choices: type[TextChoices]) -> Any:
    """A Literal of the model's values, so the schema lists them inline as the model has them."""
    return Literal[tuple(choices.values)]


DocumentStatus = one_of(Document.Status)
ReflectionStatus = one_of(Reflection.Status)
Effort = one_of(Reflection.Effort)
# Blank while nothing has failed.
ErrorKind = Literal[("", *Reflection.ErrorKind.values)]  # type: ignore[valid-type]


class Page(PaginationBase):
    """limit/offset pages with the total, in two queries whatever the page size."""

    class Input(Schema):
        limit: int = Field(
            50, ge=1, le=MAX_PAGE, description=f"items per page (at most {MAX_PAGE})"
        )
        offset: int = Field(0, ge=0, le=10**9, description="items to skip")

    class Output(Schema):
        items: list[Any]
        total: int
        limit: int
        offset: int

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, **params: Any
    ) -> dict:
        start, end = pagination.offset, pagination.offset + pagination.limit
        return {
            "items": list(queryset[start:end]),
            "total": queryset.count(),
            "limit": pagination.limit,
            "offset": pagination.offset,
        }


# --- Documents ------------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    title: str
    original_name: str
    kind: str
    size: int
    status: DocumentStatus
    error: str
    pages: int | None
    words: int | None
    tokens: int | None
    speakers: list[str]
    meeting_date: date | None
    created_at: datetime
    extracted_at: datetime | None
    url: str

    @staticmethod
    def resolve_url(document: Document) -> str:
        return reverse("api:document", args=[document.pk])


class DocumentDetailOut(DocumentOut):
    text: str
    collection_ids: list[int]

    @staticmethod
    def resolve_collection_ids(document: Document) -> list[int]:
        return [c.pk for c in document.collections.all()]


class UploadResultOut(Schema):
    """One file's outcome, in the same shape as the upload page and the upload URL give."""

    name: str
    outcome: Literal["created", "duplicate", "rejected"]
    ok: bool = Field(description="the file is (or already was) a document")
    error: str = Field("", description="why the file was rejected")
    document_id: int | None = None
    status: DocumentStatus | None = None
    url: str | None = Field(None, description="the document in the API: poll it")


class UploadOut(Schema):
    results: list[UploadResultOut]
    created: int
    duplicates: int
    rejected: int


# --- Collections ----------------------------------------------------------------------------------


class CollectionIn(Schema):
    name: Annotated[Text, Field(min_length=1, max_length=MAX_NAME_CHARS)]


class DocumentIdsIn(Schema):
    document_ids: Annotated[list[Id], Field(min_length=1, max_length=1000)]


class CollectionOut(Schema):
    id: int
    name: str
    created_at: datetime
    document_ids: list[int]
    url: str

    @staticmethod
    def resolve_document_ids(collection: Collection) -> list[int]:
        return sorted(d.pk for d in collection.documents.all())

    @staticmethod
    def resolve_url(collection: Collection) -> str:
        return reverse("api:collection", args=[collection.pk])


# --- Reflections ----------------------------------------------------------------------------------

Preset = Literal[("", *PRESETS)]  # type: ignore[valid-type]


class ReflectionIn(Schema):
    question: Annotated[Text, Field(max_length=MAX_QUESTION_CHARS)] = ""
    preset: Preset = Field("", description="a preset question: " + ", ".join(PRESETS))
    collection_id: Id | None = Field(
        None, description="ask of this collection's ready documents"
    )
    document_ids: Annotated[list[Id], Field(max_length=1000)] = Field(
        default_factory=list, description="or of these ready documents"
    )
    parent_id: Id | None = Field(
        None, description="a follow-up of this reflection, over its documents"
    )
    effort: Effort | None = None
    not_urgent: bool = Field(
        False,
        description="OpenAI's flex tier: about half price, slower (the standard tier "
        "if flex has no room)",
    )
    consensus: bool = Field(
        False,
        description="several independent answers merged by agreement "
        "(REFLECT_CONSENSUS_SAMPLES of them; costs that many times as much)",
    )
    estimate_only: bool = Field(
        False, description="return the estimate and create nothing"
    )


class EstimateOut(Schema):
    estimate: dict[str, Any]


class ReflectionSummaryOut(Schema):
    id: int
    status: ReflectionStatus
    question: str
    preset: str
    provider: str
    model: str
    effort: Effort
    not_urgent: bool = Field(
        description="asked of OpenAI's flex tier, at about half price"
    )
    consensus: bool = Field(
        description="several independent answers, merged by agreement"
    )
    collection_id: int | None
    parent_id: int | None
    created_at: datetime
    finished_at: datetime | None
    cost_usd: float | None = Field(
        description="USD over every call made; null when it is unknown because a model "
        "the run called has no known price (manifest.unpriced_models names it)"
    )
    url: str

    @staticmethod
    def resolve_url(reflection: Reflection | dict) -> str:
        pk = reflection["id"] if isinstance(reflection, dict) else reflection.pk
        return reverse("api:reflection", args=[pk])


class ReflectionOut(ReflectionSummaryOut, CheckedResult):
    """The result as `manage.py reflect --json` prints it, with the run's progress."""

    phase: str
    parts_done: int
    parts_total: int
    document_ids: list[int]
    started_at: datetime | None
    manifest: dict[str, Any]
    estimate: dict[str, Any]
    usage: dict[str, int]
    error: str
    error_kind: ErrorKind


# --- Notifications --------------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    reflection_id: int
    status: ReflectionStatus
    message: str
    created_at: datetime
    read_at: datetime | None
    reflection_url: str

    @staticmethod
    def resolve_reflection_url(notification: Notification) -> str:
        return reverse("api:reflection", args=[notification.reflection_id])

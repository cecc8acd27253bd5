"""Finding documents on the documents page: search by title and text, filter by kind,
status and collection.

The words come from the full-text index of migration 0010 (FTS5 on SQLite, a tsvector with a
GIN index on PostgreSQL), never from a scan of every document's text: one query whatever the
page size, and fast on thousands of long transcripts. Each word also matches as the start of
a longer one ("budg" finds "budget"), since people type a search as they remember a title.
"""

import re

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

from .models import Collection, Document, User

FTS_TABLE = "reflect_document_fts"


class DocumentFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search titles and text",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        required=False, label="Kind", choices=[("", "Any kind"), *Document.Kind.choices]
    )
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Any status"), *Document.Status.choices],
    )
    collection = forms.ModelChoiceField(
        queryset=Collection.objects.none(),
        required=False,
        label="Collection",
        empty_label="Any collection",
    )

    def __init__(self, *args, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = Collection.objects.filter(owner=owner)


def filtered_documents(*, owner: User, filters: dict) -> QuerySet[Document]:
    """The owner's documents matching `filters` (q, kind, status, collection), newest first,
    or best match first when `q` is given; without their text."""
    documents = Document.objects.filter(owner=owner).defer("text", "segments")
    if filters.get("kind"):
        documents = documents.filter(kind=filters["kind"])
    if filters.get("status"):
        documents = documents.filter(status=filters["status"])
    if filters.get("collection"):
        documents = documents.filter(collections=filters["collection"])
    if filters.get("q"):
        documents = matching(documents, q=filters["q"], owner_id=owner.pk)
    return documents


def documents_page(
    *, owner: User, filters: dict, number: str | None, per_page: int = 50
) -> Page:
    """One page of `filtered_documents`, paged through ids only, then that page's rows.

    SQLite reaches the columns stored after `text` through the text's overflow pages, so
    sorting (by rank, for a word in every document) or skipping thousands of whole rows reads
    all of their text (a word in each of 5,000 transcripts: 300-400 ms of queries with whole
    rows, 45 ms by ids).
    """
    ids = filtered_documents(owner=owner, filters=filters).values_list("pk", flat=True)
    page = Paginator(ids, per_page).get_page(number)
    rows = Document.objects.defer("text", "segments").in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


def matching(documents: QuerySet, *, q: str, owner_id: int) -> QuerySet:
    """`documents` (of `owner_id`) whose title or text holds every word of `q`, best first.

    Punctuation is ignored, so no input is a syntax error.
    """
    words = re.findall(r"[^\W_]+", q.lower())
    if not words:
        return documents.none()
    if connection.vendor == "postgresql":
        return _postgres(documents, words)
    return _sqlite(documents, words, owner_id)


def _postgres(documents: QuerySet, words: list[str]) -> QuerySet:
    query = SearchQuery(
        " & ".join(f"{word}:*" for word in words), config="english", search_type="raw"
    )
    vector = RawSQL(
        "reflect_document.search_vector", [], output_field=SearchVectorField()
    )
    return (
        documents.annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(search_rank=SearchRank(vector, query))
        .order_by("-search_rank", "-created_at", "-id")
    )


def _sqlite(documents: QuerySet, words: list[str], owner_id: int) -> QuerySet:
    terms = " ".join(f'"{word}"*' for word in words)
    # The owner is a column of the index: the MATCH intersects the owner's rows itself.
    # The words are matched in title and text only: a number must not match the owner.
    match = f'owner_id : "{owner_id}" AND {{title text}} : ({terms})'
    return (
        documents.extra(
            tables=[FTS_TABLE],
            # The unary + keeps SQLite from probing the index once per document of the
            # owner; the MATCH drives, joined by key (as in reflect/search.py).
            where=[
                f"+{FTS_TABLE}.rowid = reflect_document.id",
                f"{FTS_TABLE} MATCH %s",
            ],
            params=[match],
        )
        .annotate(
            # bm25 is lower for better matches; the title weighs 4x the text.
            search_rank=RawSQL(
                f"-bm25({FTS_TABLE}, 4.0, 1.0, 0.0)", [], output_field=FloatField()
            )
        )
        .order_by("-search_rank", "-created_at", "-id")
    )

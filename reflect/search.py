"""Full-text search over reflections: questions, summaries and findings, from an index.

PostgreSQL: a stored generated ``tsvector`` column with a GIN index (migration 0008), ranked
with ``ts_rank`` and highlighted with ``ts_headline``. SQLite (the embedded default): an FTS5
table kept in step with ``reflect_reflection`` by triggers (same migration), ranked with
``bm25`` and highlighted with ``snippet``; it indexes the owner too (0009). Either way the
query is the index's, never a scan of every result cast to text, and the owner filter stays
on the reflections query.
"""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import FloatField, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Marks around matched words in `headline`; private-use characters no text contains, turned
# into <mark> only after the rest of the snippet is escaped (see highlighted()).
START, STOP = "\ue000", "\ue001"
FTS_TABLE = "reflect_reflection_fts"
# The question, summary and findings as one text (PostgreSQL's headline source).
PG_TEXT = (
    "coalesce(reflect_reflection.question, '') || ' ' || "
    "coalesce(reflect_reflection.result->>'summary', '') || ' ' || coalesce(("
    "SELECT string_agg(coalesce(f->>'title', '') || '. ' || coalesce(f->>'observation', ''),"
    " ' ') FROM jsonb_array_elements(CASE WHEN jsonb_typeof(reflect_reflection.result->"
    "'findings') = 'array' THEN reflect_reflection.result->'findings' ELSE '[]'::jsonb END)"
    " f), '')"
)


def matching(reflections: QuerySet, *, q: str, owner_id: int) -> QuerySet:
    """`reflections` (of `owner_id`) that match `q`, best first, each with `search_rank` and
    `headline`.

    Words are ANDed; punctuation is ignored, so no input is a syntax error.
    """
    words = re.findall(r"\w+", q.lower())
    if not words:
        return reflections.none()
    if connection.vendor == "postgresql":
        return _postgres(reflections, " ".join(words))
    return _sqlite(reflections, words, owner_id)


def _postgres(reflections: QuerySet, text: str) -> QuerySet:
    query = SearchQuery(text, config="english", search_type="plain")
    vector = RawSQL(
        "reflect_reflection.search_vector", [], output_field=SearchVectorField()
    )
    return (
        reflections.annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(
            search_rank=SearchRank(vector, query),
            headline=SearchHeadline(
                RawSQL(PG_TEXT, [], output_field=TextField()),
                query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
            ),
        )
        .order_by("-search_rank", "-created_at", "-id")
    )


def _sqlite(reflections: QuerySet, words: list[str], owner_id: int) -> QuerySet:
    terms = " ".join('"' + word.replace('"', "") + '"' for word in words)
    # The owner is a column of the index (migration 0009): the index intersects the owner's
    # rows itself; the owner filter on `reflections` still decides what is shown.
    # The words are matched in question and body only, never in the owner column.
    match = f'owner : "u{owner_id}" AND {{question body}} : ({terms})'
    return (
        reflections.extra(
            tables=[FTS_TABLE],
            # The unary + keeps SQLite from probing the index once per reflection of the
            # owner (a MATCH each: 15 ms for 500 rows); the MATCH drives, joined by key.
            where=[
                f"+{FTS_TABLE}.rowid = reflect_reflection.id",
                f"{FTS_TABLE} MATCH %s",
            ],
            params=[match],
        )
        # Annotations, not extra(select=...): the paginator's count leaves them out.
        .annotate(
            # bm25 is lower for better matches; the question weighs 4x the result.
            search_rank=RawSQL(
                f"-bm25({FTS_TABLE}, 4.0, 1.0, 0.0)", [], output_field=FloatField()
            ),
            # From the result (column 1): the question is on the page beside it anyway.
            headline=RawSQL(
                f"snippet({FTS_TABLE}, 1, %s, %s, '…', 24)",
                [START, STOP],
                output_field=TextField(),
            ),
        )
        .order_by("-search_rank", "-created_at", "-id")
    )


def highlighted(headline: str) -> SafeString:
    """A headline as HTML: escaped, with the matched words in <mark>."""
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))

"""Full-text search over reflections: questions, summaries and findings, from an index.

PostgreSQL: a stored generated ``tsvector`` column with a GIN index (migration 0008), ranked
with ``ts_rank`` and highlighted with ``ts_headline``. SQLite (the embedded default): an FTS5
table kept in step with ``reflect_reflection`` by triggers (same migration), ranked with
``bm25`` and highlighted with ``snippet``. Either way the query is the index's, never a scan
of every result cast to text, and the owner filter stays on the reflections query.
"""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import QuerySet, TextField
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


def matching(reflections: QuerySet, *, q: str) -> QuerySet:
    """`reflections` that match `q`, best first, each with `search_rank` and `headline`.

    Words are ANDed; punctuation is ignored, so no input is a syntax error.
    """
    words = re.findall(r"\w+", q.lower())
    if not words:
        return reflections.none()
    if connection.vendor == "postgresql":
        return _postgres(reflections, " ".join(words))
    return _sqlite(reflections, words)


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


def _sqlite(reflections: QuerySet, words: list[str]) -> QuerySet:
    match = " ".join('"' + word.replace('"', "") + '"' for word in words)
    return reflections.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = reflect_reflection.id", f"{FTS_TABLE} MATCH %s"],
        params=[match],
        select={
            # bm25 is lower for better matches; the question weighs 4x the result.
            "search_rank": f"-bm25({FTS_TABLE}, 4.0, 1.0)",
            "headline": f"snippet({FTS_TABLE}, -1, %s, %s, '…', 24)",
        },
        select_params=[START, STOP],
    ).order_by("-search_rank", "-created_at", "-id")


def highlighted(headline: str) -> SafeString:
    """A headline as HTML: escaped, with the matched words in <mark>."""
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))

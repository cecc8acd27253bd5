"""Check that every quote in a reflection result really occurs in its source document.

The model's quotes are claims, not facts: each is located (see `quotes`) and the result
annotated with what was found, so nobody trusts a quote that is not in the source.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Mapping

from reflect.extraction import locators
from reflect.reasoning.sources import SourceDocument

from .folding import SourceText
from .quotes import (
    MATCH_EXACT,
    MATCH_NORMALISED,
    MATCH_UNVERIFIED,
    locate_in_source,
)
from .schema import as_document_id


def locator_for(segments: list[dict], start: int, end: int) -> dict | None:
    """Return where `start` came from: its segment without "start"/"end".

    A range that ends in a later segment also gets "end_<key>" for page, paragraph,
    line and time when those differ. An offset in a gap between segments belongs to the
    next segment if the range reaches it.
    """
    if not segments:
        return None
    index = bisect_right(segments, start, key=lambda segment: segment["start"]) - 1
    if index < 0 or segments[index]["end"] <= start:
        index += 1
        if index >= len(segments) or segments[index]["start"] >= max(end, start + 1):
            return None
    first = segments[index]
    locator = locators.of_segment(first)
    final = max(start, end - 1)
    last_index = bisect_right(segments, final, key=lambda s: s["start"]) - 1
    if last_index > index:
        last = segments[last_index]
        for key in ("page", "paragraph", "line", "time"):
            if key in last and last[key] != first.get(key):
                locator[f"end_{key}"] = last[key]
    return locator


def verify_result(result: dict, documents: Mapping[int, SourceDocument]) -> dict:
    """Return a deep copy of `result` with every quote checked against its document.

    Each evidence item gains "verified" (True for exact or normalised matches only),
    "match", "start", "end", "locator", "document_title", "source_text" (the
    document's own text for the located range) and "similarity" (None if unlocated).
    Each finding gains "supported": True when at least one of its quotes was located,
    approximately or better.
    """
    verified = copy.deepcopy(result)
    if not isinstance(verified, dict):
        return verified
    sources: dict[int, SourceText] = {}
    findings = verified.get("findings")
    for finding in findings if isinstance(findings, list) else []:
        if not isinstance(finding, dict):
            continue
        evidence = finding.get("evidence")
        supported = False
        for item in evidence if isinstance(evidence, list) else []:
            if isinstance(item, dict):
                _verify_evidence(item, documents, sources)
                supported = supported or item["match"] != MATCH_UNVERIFIED
        finding["supported"] = supported
    return verified


def _verify_evidence(
    item: dict, documents: Mapping[int, SourceDocument], sources: dict[int, SourceText]
) -> None:
    document_id = as_document_id(item.get("document_id"))
    document = documents.get(document_id) if document_id is not None else None
    item.update(
        verified=False,
        match=MATCH_UNVERIFIED,
        start=None,
        end=None,
        locator=None,
        document_title=document.title if document is not None else None,
        source_text=None,
        similarity=None,
    )
    if document is None:
        return
    if document_id not in sources:
        sources[document_id] = SourceText(document.text or "")
    found = locate_in_source(item.get("quote"), sources[document_id])
    if found is None:
        return
    item.update(
        verified=found.match in (MATCH_EXACT, MATCH_NORMALISED),
        match=found.match,
        start=found.start,
        end=found.end,
        locator=locator_for(document.segments, found.start, found.end),
        source_text=document.text[found.start : found.end],
        similarity=found.similarity,
    )

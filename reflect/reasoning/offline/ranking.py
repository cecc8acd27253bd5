"""Order findings: strongest signal, most completely dropped, most recent, near dates first."""

import math

from .finding import Finding

RECENCY_FLOOR = 0.6  # the oldest document's findings keep 60% of their weight
DATE_BOOST = 1.1
DUPLICATE_OVERLAP = (
    0.6  # share of content words above which two findings say the same thing
)


def weight(finding: Finding, documents: int) -> float:
    recency = finding.doc / (documents - 1) if documents > 1 else 1.0
    boost = DATE_BOOST if finding.dated else 1.0
    return finding.score * (RECENCY_FLOOR + (1 - RECENCY_FLOOR) * recency) * boost


def rank(
    findings: list[Finding], *, kinds, limit: int, documents: int
) -> list[Finding]:
    """The best `limit` findings, those of `kinds` first.

    Without preferred kinds, and among several preferred kinds, no kind takes more than half
    the places while others are waiting, so one noisy detector cannot crowd out the rest."""
    if limit <= 0:
        return []
    preferred = list(kinds or [])
    ordered = sorted(
        findings,
        key=lambda f: (
            f.kind not in preferred,
            -round(weight(f, documents), 6),
            f.doc,
            f.kind,
            f.title,
        ),
    )
    cap = limit if len(preferred) == 1 else max(1, math.ceil(limit / 2))
    chosen: list[Finding] = []
    overflow: list[Finding] = []
    counts: dict[str, int] = {}
    for finding in ordered:
        if any(_same(finding, other) for other in chosen):
            continue
        if counts.get(finding.kind, 0) >= (
            limit if finding.kind in preferred and len(preferred) == 1 else cap
        ):
            overflow.append(finding)
            continue
        chosen.append(finding)
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
        if len(chosen) == limit:
            break
    for finding in overflow:  # nothing else to show: the capped kinds fill the rest
        if len(chosen) == limit:
            break
        if not any(_same(finding, other) for other in chosen):
            chosen.append(finding)
    position = {id(f): i for i, f in enumerate(ordered)}
    return sorted(chosen, key=lambda f: position[id(f)])


def _same(a: Finding, b: Finding) -> bool:
    if a.kind != b.kind:
        return a.evidence[:1] == b.evidence[:1]
    if not a.keys or not b.keys:
        return a.title == b.title
    return len(a.keys & b.keys) >= DUPLICATE_OVERLAP * min(len(a.keys), len(b.keys))

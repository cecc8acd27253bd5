"""Consensus: several independent answers to one question, and which findings they share.

Two findings are the same when they quote the same passage (one normalised quote inside the
other) or their titles say nearly the same thing. The matching is plain and deterministic so
"k of N answers found this" can be checked by hand; the merge call decides what to keep.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

# A shared quote shorter than this is a phrase ("the budget"), not the same passage.
MIN_SHARED_QUOTE = 16
# Titles at least this similar (difflib ratio, or word overlap) name the same finding.
TITLE_SIMILARITY = 0.72
TITLE_WORD_OVERLAP = 0.6

_WORD = re.compile(r"[\w']+")
_STOP = frozenset(
    "a an and are as at be by for from has have in is it no nobody of on or the to was "
    "were with without".split()
)


def _normalised(text: str) -> str:
    return " ".join(_WORD.findall((text or "").casefold()))


def _quotes(finding: dict) -> list[str]:
    quotes = [_normalised(e.get("quote", "")) for e in finding.get("evidence") or []]
    return [q for q in quotes if len(q) >= MIN_SHARED_QUOTE]


def _title_words(finding: dict) -> set[str]:
    return {w for w in _normalised(finding.get("title", "")).split() if w not in _STOP}


def same_finding(a: dict, b: dict) -> bool:
    """Whether two findings from different answers are the same finding."""
    for left in _quotes(a):
        for right in _quotes(b):
            if left in right or right in left:
                return True
    title_a, title_b = _normalised(a.get("title", "")), _normalised(b.get("title", ""))
    if title_a and title_b:
        if SequenceMatcher(None, title_a, title_b).ratio() >= TITLE_SIMILARITY:
            return True
        words_a, words_b = _title_words(a), _title_words(b)
        if words_a and words_b:
            overlap = len(words_a & words_b) / min(len(words_a), len(words_b))
            if overlap >= TITLE_WORD_OVERLAP:
                return True
    return False


@dataclass
class Group:
    """One finding as the answers that found it wrote it: (answer number, finding) pairs."""

    versions: list[tuple[int, dict]] = field(default_factory=list)

    @property
    def answers(self) -> set[int]:
        return {number for number, _ in self.versions}

    def matches(self, finding: dict) -> bool:
        return any(same_finding(version, finding) for _, version in self.versions)


def group_findings(answers: Sequence[dict]) -> list[Group]:
    """The findings of every answer, grouped by `same_finding`, most agreed on first.

    Each finding joins the first group it matches that holds nothing from its own answer yet
    (two findings of one answer stay apart); ties keep the order the answers gave.
    """
    groups: list[Group] = []
    for number, answer in enumerate(answers, 1):
        for finding in answer.get("findings") or []:
            home = next(
                (
                    group
                    for group in groups
                    if number not in group.answers and group.matches(finding)
                ),
                None,
            )
            if home is None:
                home = Group()
                groups.append(home)
            home.versions.append((number, finding))
    return sorted(groups, key=lambda group: -len(group.answers))


def found_by(finding: dict, answers: Sequence[dict]) -> int:
    """How many of `answers` hold a finding that is the same as `finding`."""
    return sum(
        any(same_finding(finding, other) for other in answer.get("findings") or [])
        for answer in answers
    )


def with_agreement(result: dict, answers: Sequence[dict]) -> dict:
    """`result` (the merged answer) with each finding's agreement: found by k of N answers."""
    total = len(answers)
    findings = [
        {
            **finding,
            "agreement": {"found_by": found_by(finding, answers), "answers": total},
        }
        for finding in result.get("findings") or []
    ]
    return {**result, "findings": findings}


def render_answers(answers: Sequence[dict]) -> str:
    """The answers as the merge call reads them: findings grouped, with their agreement."""
    total = len(answers)
    notes = {
        "answers": total,
        "summaries": [answer.get("summary", "") for answer in answers],
        "said_documents_do_not_answer": sum(
            bool(answer.get("documents_do_not_answer")) for answer in answers
        ),
        "findings": [
            {
                "found_by": f"{len(group.answers)} of {total} answers",
                "versions": [version for _, version in group.versions],
            }
            for group in group_findings(answers)
        ],
    }
    return (
        "=== BEGIN ANSWERS ===\n"
        + json.dumps(notes, ensure_ascii=False, indent=1)
        + "\n=== END ANSWERS ===\n"
    )

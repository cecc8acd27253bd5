"""The offline analyzer: a deterministic reading of the corpus when no model is configured.

It finds what people raised and then dropped (unanswered questions, commitments never
followed up, lone concerns, topics that faded, figures that disagree) and cites each with
quotes that are exact substrings of the documents, so every quote verifies. It does not
read the question the way a model does: presets choose which kinds of finding come first.
"""

from collections import Counter
from collections.abc import Sequence

from ..sources import SourceDocument
from .actions import find_dropped_actions
from .concerns import find_lone_concerns
from .finding import Finding
from .numbers import find_disagreeing_numbers
from .questions import find_unanswered_questions
from .ranking import rank
from .topics import find_fading_topics
from .turns import Corpus

LABEL = "Offline analyzer — no language model was used"
NO_SIGNALS = (
    "The offline analyzer found no unanswered questions, dropped commitments, lone "
    "concerns, faded topics or disagreeing figures in these documents."
)

PRESET_KINDS: dict[str, list[str]] = {
    "blind_spots": ["risk", "dropped_action"],
    "contradictions": ["contradiction"],
    "dropped_actions": ["dropped_action"],
    "unanswered_questions": ["unanswered_question"],
    "risks": ["risk"],
    "changes": ["trend", "contradiction"],
}

DETECTORS = (
    find_unanswered_questions,
    find_dropped_actions,
    find_lone_concerns,
    find_fading_topics,
    find_disagreeing_numbers,
)
NAMES = {
    "unanswered_question": ("unanswered question", "unanswered questions"),
    "dropped_action": ("commitment with no follow-up", "commitments with no follow-up"),
    "risk": ("concern nobody picked up", "concerns nobody picked up"),
    "trend": ("faded topic", "faded topics"),
    "contradiction": ("pair of disagreeing figures", "pairs of disagreeing figures"),
}


def analyze(
    documents: Sequence[SourceDocument],
    *,
    kinds: Sequence[str] | None = None,
    limit: int = 10,
) -> dict:
    """A result dict (schema.RESULT_SCHEMA) for `documents`; findings of `kinds` first."""
    corpus = Corpus(documents)
    found: list[Finding] = []
    for detect in DETECTORS:
        found.extend(detect(corpus))
    top = rank(found, kinds=kinds, limit=limit, documents=len(corpus.documents))
    return {
        "summary": _summary(corpus, found, top),
        "findings": [f.as_dict() for f in top],
        "follow_up_questions": _follow_ups(corpus, top),
        "documents_do_not_answer": not top,
        "no_answer_reason": "" if top else NO_SIGNALS,
    }


def _summary(corpus: Corpus, found: list[Finding], top: list[Finding]) -> str:
    speakers = f" from {len(corpus.speakers)} speakers" if corpus.speakers else ""
    parts = [
        f"{LABEL}. It read {len(corpus.documents)} document{'s' * (len(corpus.documents) != 1)} "
        f"({len(corpus.turns)} turns{speakers}) looking for what was raised and then dropped."
    ]
    counts = Counter(f.kind for f in found)
    if not found:
        parts.append(
            "It found no unanswered questions, dropped commitments, lone concerns, faded topics or disagreeing figures."
        )
        return " ".join(parts)
    listed = [f"{counts[k]} {NAMES[k][counts[k] != 1]}" for k in NAMES if counts[k]]
    parts.append("It found " + _join(listed) + f"; the {len(top)} strongest are shown.")
    parts.append(f"The top one: {top[0].title}")
    parts.append(
        "These are patterns in the wording, not a reading of your question; check the quotes."
    )
    return " ".join(parts)


def _follow_ups(corpus: Corpus, top: list[Finding]) -> list[str]:
    questions = list(dict.fromkeys(f.follow_up for f in top))[:4]
    if len(questions) < 2 and corpus.documents:
        latest = corpus.documents[-1].title
        for extra in (
            f"What was decided in “{latest}”, and who owns each decision?",
            f"Which open questions from “{latest}” need an answer before the next meeting?",
        ):
            if len(questions) < 2:
                questions.append(extra)
    return questions


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

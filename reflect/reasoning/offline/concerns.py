"""Lone concerns: a risk, deadline or worry one person raised and nobody else picked up."""

import re

from .finding import Finding
from .turns import Corpus, Sentence, Turn, clip, quote
from .words import key_lemmas, surface

# Word → how strongly it signals a concern (weak words need more context to count).
CONCERN_WORDS = {
    "risk": 1.0,
    "risks": 1.0,
    "risky": 1.0,
    "concern": 0.9,
    "concerns": 0.9,
    "concerned": 0.9,
    "worried": 1.0,
    "worry": 0.9,
    "worrying": 1.0,
    "deadline": 1.0,
    "deadlines": 1.0,
    "expires": 1.0,
    "expiry": 1.0,
    "expired": 1.0,
    "expiring": 1.0,
    "blocker": 1.0,
    "blockers": 1.0,
    "blocked": 0.9,
    "blocking": 0.8,
    "danger": 1.0,
    "dangerous": 1.0,
    "afraid": 0.8,
    "overdue": 1.0,
    "over budget": 1.0,
    "too expensive": 0.9,
    "won't work": 0.9,
    "not going to work": 0.9,
    "doesn't work": 0.7,
    "delay": 0.7,
    "delayed": 0.8,
    "fail": 0.7,
    "failure": 0.8,
    "liability": 0.9,
    "penalty": 0.8,
    "shortage": 0.8,
    "bottleneck": 0.9,
    # "problem" and friends are everyday words; they count only as "the problem is/with".
    "problem is": 0.6,
    "problem with": 0.6,
    "problems with": 0.6,
    "issue is": 0.5,
    "issue with": 0.5,
    "trouble is": 0.6,
    "trouble with": 0.6,
    "is a problem": 0.6,
    "can't afford": 0.8,
    "cannot afford": 0.8,
    "problems": 0.5,
}
CONCERN_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted((re.escape(w) for w in CONCERN_WORDS), key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
CONCERN_CUES = frozenset(max(phrase.split(), key=len) for phrase in CONCERN_WORDS)
NEGATION_RE = re.compile(
    r"\b(?:not|no|never|without|nothing)\b|n't\b|\bas far as\b", re.IGNORECASE
)
NEGATION_REACH = 50  # characters before the concern word in which a negation cancels it
AGREEMENT_RE = re.compile(
    r"\b(?:good point|fair point|i agree|agreed|that's true|true|exactly|you're right|"
    r"that's right|absolutely|indeed|definitely)\b",
    re.IGNORECASE,
)
DATE_RE = re.compile(
    r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec)\w*|(?:january|february|march|april|june|july|august|september|"
    r"october|november|december)\s+\d{1,2}|monday|tuesday|wednesday|thursday|friday|"
    r"next week|next month|end of)\b",
    re.IGNORECASE,
)
RESOLVED_RE = re.compile(
    r"\b(?:has been|have been|was|were|now|already)\s+(?:\w+\s+)?(?:agreed|resolved|sorted|fixed|"
    r"dealt with|approved|addressed|extended|solved|granted)\b",
    re.IGNORECASE,
)
REPLY_WINDOW = 6
REPLIERS = 3


def find_lone_concerns(corpus: Corpus) -> list[Finding]:
    findings = []
    for turn in corpus.turns_matching(CONCERN_RE, CONCERN_CUES):
        for sentence in corpus.sentences(turn):
            match = CONCERN_RE.search(sentence.text)
            if (
                not match
                or sentence.text.endswith("?")
                or RESOLVED_RE.search(sentence.text)
            ):
                continue
            if NEGATION_RE.search(
                sentence.text, max(0, match.start() - NEGATION_REACH), match.start()
            ):
                continue
            strength = CONCERN_WORDS[match.group().lower()]
            keys = key_lemmas(sentence.text)
            if len(keys) < (2 if strength >= 0.8 else 4):
                continue
            finding = _lone(corpus, turn, sentence, match.group(), strength, keys)
            if finding:
                findings.append(finding)
    return findings


def _lone(
    corpus: Corpus, turn: Turn, sentence: Sentence, word: str, strength: float, keys
):
    key_set = frozenset(keys)
    replies = _replies(corpus, turn)
    for reply in replies:
        if reply.keys & key_set or AGREEMENT_RE.search(corpus.text(reply)[:60]):
            return None
    specific = corpus.specific(keys)
    if not specific:
        return None  # nothing specific enough to tell whether anyone came back to it
    others_later = corpus.find_later(
        specific,
        after=turn.position,
        min_shared=min(2, len(specific)),
        predicate=lambda t: (
            t.speaker != turn.speaker or (not t.speaker and t.doc != turn.doc)
        ),
    )
    if others_later is not None:
        return None
    document = corpus.document(turn)
    who = turn.speaker or "The document"
    dated = bool(DATE_RE.search(sentence.text)) or word.lower().startswith(
        ("deadline", "expir", "overdue")
    )
    evidence = [(document.id, quote(document.text, sentence.start, sentence.end))]
    if replies and replies[0].speaker:
        reply_quote = quote(
            document.text, replies[0].start, replies[0].end, max_len=160
        )
        if len(reply_quote) >= 12:
            evidence.append((document.id, reply_quote))
            moved_on = f" The next speaker, {replies[0].speaker}, went on: “{clip(reply_quote, 80)}”."
        else:
            moved_on = ""
    else:
        moved_on = ""
    words = ", ".join(surface(sentence.text, specific[:3]))
    if turn.speaker:
        nobody = f"No one else mentions {words} afterwards."
    else:
        nobody = f"No later document mentions {words} again."
    confidence = "medium" if strength >= 0.8 and len(specific) >= 2 else "low"
    return Finding(
        kind="risk",
        title=f"Raised once, never picked up: “{clip(sentence.text, 90)}”",
        observation=f"{who} flagged “{word}” in {corpus.label(turn.doc)}.{moved_on} {nobody}",
        why_it_matters=(
            "A risk voiced once and not picked up tends to come back as a surprise; someone "
            "should either own it or say explicitly why it does not matter."
        ),
        confidence=confidence,
        evidence=evidence,
        score=0.35 + 0.35 * strength + 0.1 * dated + 0.1 * min(len(specific), 3) / 3,
        doc=turn.doc,
        follow_up=f"Who is looking after “{clip(sentence.text, 70)}”?",
        dated=dated,
        keys=frozenset(keys),
    )


def _replies(corpus: Corpus, turn: Turn) -> list[Turn]:
    if not turn.speaker:
        return []
    replies = []
    last = corpus.doc_turns[turn.doc].stop
    for position in range(
        turn.position + 1, min(last, turn.position + 1 + REPLY_WINDOW)
    ):
        other = corpus.turns[position]
        if other.speaker and other.speaker != turn.speaker:
            replies.append(other)
            if len(replies) == REPLIERS:
                break
    return replies

"""Fading topics: terms central in the first documents that vanish from the last ones."""

import math
import re

from .finding import Finding
from .turns import Corpus, Turn, quote
from .words import TOKEN_RE, key_lemmas, lemma

GOAL_RE = re.compile(
    r"\b(?:goals?|targets?|metrics?|KPIs?|aims?|objectives?|milestones?|priorit(?:y|ies))\b",
    re.IGNORECASE,
)
# Words about the meeting itself, not its subject.
MECHANICS = frozenset(
    key_lemmas(
        "meeting meetings agenda presentation slide slides minutes whiteboard pen pens mic "
        "microphone laptop transcript transcripts digits camera item items question questions "
        "answer point idea ideas people person guys thanks morning afternoon welcome chair "
        "committee member members session everybody everyone today problem fine sorry "
        "objection vote votes voting abstain favour result agreed amendment moved"
    )
)
# Abstract everyday words: alone they are not a topic (in a phrase they may be).
GENERAL = frozenset(
    key_lemmas(
        "effect effects relevant exercise write include includes implications implication "
        "different important number general issue case place level term terms basis context "
        "system information process change changes question reason example fact area areas "
        "side group part parts kind type types order form line lines value values view "
        "situation position approach aspect aspects matter level course result results "
        "interest interesting possible certain clear simple small large long short high low "
        "whole real actual specific particular single previous current basic similar "
        "various extra additional normal standard individual original obvious quick easy "
        "hard nice happy sense feel feeling bring call talk speak agree understand remember"
    )
)
MIN_TURNS = 3  # mentions (turns) in the early documents for a term to count as central
MAX_FADED = 6
BUCKETS = 10


def find_fading_topics(corpus: Corpus) -> list[Finding]:
    n = len(corpus.documents)
    if n < 3:
        return []
    third = math.ceil(n / 3)
    early, late = range(0, third), range(n - third, n)
    stats = _early_stats(corpus, early)
    if not stats:
        return []
    names = {k for s in corpus.speakers for k in key_lemmas(s)}
    late_terms = _terms_in(corpus, late)
    later_terms = late_terms | _terms_in(corpus, range(third, late.start))
    candidates = []
    for term, (turns, speakers, buckets) in sorted(stats.items()):
        if (
            len(turns) < MIN_TURNS
            or term in late_terms
            or set(term) & (MECHANICS | names)
        ):
            continue
        if len(term) == 1 and (term[0] in GENERAL or len(turns) < 2 * MIN_TURNS):
            continue
        if corpus.speakers and len(speakers) < 2:
            continue  # one person's hobby horse, not a shared topic
        spread = len(buckets) / (BUCKETS * len(early))
        centrality = min(1.0, math.log(len(turns)) / math.log(40))
        weight = (
            centrality
            * (0.4 + 0.6 * min(1.0, spread * 3))
            * (1.3 if len(term) == 2 else 1.0)
        )
        candidates.append((weight, term, turns, speakers))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    # Named as a goal or metric in a sentence that uses it: only worth checking for the best.
    reweighed = []
    for weight, term, turns, speakers in candidates[: MAX_FADED * 4]:
        goal = any(GOAL_RE.search(m[1]) for m in _mentions(corpus, term, turns))
        reweighed.append((weight * (1.6 if goal else 1.0), term, turns, speakers, goal))
    candidates = sorted(reweighed, key=lambda c: (-c[0], c[1]))
    # "older" and "generation" are one topic when they mostly come as "older generation".
    phrases: dict[str, tuple] = {}
    for candidate in candidates:
        if len(candidate[1]) == 2:
            for part in candidate[1]:
                phrases.setdefault(part, candidate)
    preferred = []
    for candidate in candidates:
        phrase = phrases.get(candidate[1][0]) if len(candidate[1]) == 1 else None
        use = (
            phrase
            if phrase and len(phrase[2]) >= 0.5 * len(candidate[2])
            else candidate
        )
        if use not in preferred:
            preferred.append(use)
    findings: list[Finding] = []
    taken: set[str] = set()
    for weight, term, turns, speakers, goal in preferred:
        if len(findings) == MAX_FADED:
            break
        if set(term) & taken:
            continue
        finding = _finding(
            corpus,
            term,
            turns,
            speakers,
            goal,
            weight,
            term in later_terms,
            early,
            late,
        )
        if finding:
            findings.append(finding)
            taken.update(term)
    return findings


def _pairs(stream) -> list[tuple]:
    """Unigrams and adjacent content bigrams of a turn, as lemma tuples."""
    terms = [(s,) for s in stream if s is not None and len(s) >= 4]
    terms += [
        (a, b)
        for a, b in zip(stream, stream[1:], strict=False)
        if a is not None and b is not None and a != b
    ]
    return terms


def _early_stats(corpus: Corpus, early: range) -> dict:
    stats: dict[tuple, tuple] = {}
    for doc in early:
        positions = corpus.doc_turns[doc]
        size = max(1, len(positions))
        for turn in corpus.turns[positions.start : positions.stop]:
            bucket = (doc, (turn.position - positions.start) * BUCKETS // size)
            for term in set(_pairs(turn.stream)):
                entry = stats.get(term)
                if entry is None:
                    entry = stats[term] = ([], set(), set())
                entry[0].append(turn.position)
                entry[1].add(turn.speaker)
                entry[2].add(bucket)
    return stats


def _terms_in(corpus: Corpus, docs: range) -> set:
    terms: set = set()
    for doc in docs:
        positions = corpus.doc_turns[doc]
        for turn in corpus.turns[positions.start : positions.stop]:
            terms.update(_pairs(turn.stream))
    return terms


def _finding(corpus, term, turns, speakers, goal, weight, in_middle, early, late):
    mentions = _mentions(corpus, term, turns)
    if not mentions:
        return None
    if goal:
        mentions.sort(key=lambda m: (not GOAL_RE.search(m[1]), m[0].position))
    shown = mentions[:2]
    display = shown[0][2]
    if len(display) < 3 or (len(term) == 1 and display.lower().endswith(("ly", "ed"))):
        return None
    evidence = []
    for turn, _sentence, _display, start, end in shown:
        document = corpus.document(turn)
        evidence.append((document.id, quote(document.text, start, end)))
    first_docs = sorted({corpus.turns[p].doc for p in turns})
    last_seen = max(corpus.turns[p].doc for p in turns)
    named = [s for s in sorted(speakers) if s]
    by = f" by {len(named)} speakers ({', '.join(named[:4])})" if named else ""
    late_names = ", ".join(corpus.label(d) for d in list(late)[:3]) + (
        " …" if len(late) > 3 else ""
    )
    goal_note = " It was named alongside a goal or target." if goal else ""
    middle_note = " It still appears in between, then stops." if in_middle else ""
    return Finding(
        kind="trend",
        title=f"Faded: “{display}” was central early, absent from the last {len(late)} document{'s' * (len(late) > 1)}",
        observation=(
            f"“{display}” comes up in {len(turns)} turns{by} in "
            f"{', '.join(corpus.label(d) for d in first_docs)}, and not once in {late_names}."
            f"{goal_note}{middle_note}"
        ),
        why_it_matters=(
            "When something everyone talked about early stops being mentioned, it was either "
            "settled or quietly dropped; if it was a goal, someone should say which."
        ),
        confidence="medium" if goal or len(turns) >= 8 else "low",
        evidence=evidence,
        score=0.3 + 0.3 * min(1.0, weight) + 0.15 * goal + 0.15 * (not in_middle),
        doc=last_seen,
        follow_up=f"Is “{display}” still a {'goal' if goal else 'concern'}, or was it dropped on purpose?",
        keys=frozenset(term),
    )


def _mentions(corpus: Corpus, term: tuple, positions: list[int]) -> list:
    """(turn, sentence text, surface form, start, end) of sentences using the term."""
    found = []
    for position in positions[:40]:
        turn: Turn = corpus.turns[position]
        for sentence in corpus.sentences(turn):
            display = _surface(sentence.text, term)
            if display:
                found.append(
                    (turn, sentence.text, display, sentence.start, sentence.end)
                )
                break
    return found


def _surface(text: str, term: tuple) -> str | None:
    matches = list(TOKEN_RE.finditer(text))
    stems = [lemma(m.group().lower()) for m in matches]
    for i in range(len(stems) - len(term) + 1):
        if tuple(stems[i : i + len(term)]) == term:
            return text[matches[i].start() : matches[i + len(term) - 1].end()]
    return None

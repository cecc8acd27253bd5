"""Numbers that disagree: one quantity (the same head noun) given differently in two documents.

"selling price at twenty five Euros" in one meeting and "the price ... 12.50 Euro" in a later
one are the same quantity stated twice; if the figures differ, someone is working from an
old number.
"""

import bisect
import re
from dataclasses import dataclass

from .finding import Finding
from .turns import Corpus, Turn, clip, quote
from .words import TOKEN_RE, lemma

UNITS = {
    "€": "€",
    "eur": "€",
    "euro": "€",
    "euros": "€",
    "$": "$",
    "usd": "$",
    "dollar": "$",
    "dollars": "$",
    "£": "£",
    "gbp": "£",
    "pound": "£",
    "pounds": "£",
    "quid": "£",
    "%": "%",
    "percent": "%",
    "per cent": "%",
}
WORD_VALUES = {
    w: i
    for i, w in enumerate(
        """
        zero one two three four five six seven eight nine ten eleven twelve
        thirteen fourteen fifteen sixteen seventeen eighteen nineteen
        """.split()
    )
} | {
    w: 10 * i
    for i, w in enumerate(
        """
        _ _ twenty thirty forty fifty sixty seventy eighty ninety
        """.split()
    )
    if w != "_"
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
}
_NUMWORD = (
    r"(?:"
    + "|".join(sorted(WORD_VALUES, key=len, reverse=True))
    + r"|hundred|thousand|million|billion)"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SPOKEN = rf"{_NUMWORD}(?:[\s-]+(?:and\s+)?{_NUMWORD})*(?:\s+point(?:\s+{_NUMWORD})+)?"
_UNIT = r"euros?|eur|dollars?|usd|pounds?|gbp|quid|percent|per cent|%"
QUANTITY_RE = re.compile(
    rf"(?P<pre>[€$£])\s?(?P<num1>{_DIGITS})(?:\s?(?P<scale1>k|m|bn|million|thousand|billion)\b)?"
    rf"|(?<![\w.#/-])(?P<num2>{_DIGITS}|{_SPOKEN})(?:\s?(?P<scale2>million|thousand|billion|bn|k|m)\b)?"
    rf"\s?(?P<unit>{_UNIT})(?![\w])(?:\s+(?P<cents>{_NUMWORD}(?:\s+{_NUMWORD})?|\d{{2}})\b(?!\s*(?:{_UNIT})))?"
    rf"|(?<![\w.#/:-])(?P<count>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?![\w.:/-]|\.\d)",
    re.IGNORECASE,
)
# Heads that are units of time or too vague to make two figures "the same quantity".
VAGUE_HEADS = frozenset(
    lemma(w) or w
    for w in """
    minute minutes hour hours day days week weeks month months year years second seconds time times page pages slide slides item items point points number numbers step steps line lines section sections amendment amendments paragraph paragraphs version issue issues chapter table figure note notes list option options rule
    """.split()
)
WINDOW = 6  # tokens around the figure in which its head noun is looked for


@dataclass(frozen=True)
class Figure:
    turn: Turn
    unit: str  # €, $, £, %, or "" for a plain count
    value: float
    text: str  # as written
    head: str  # the lemma of the noun it is attached to
    head_text: str
    start: int
    end: int


def find_disagreeing_numbers(corpus: Corpus) -> list[Finding]:
    by_head: dict[tuple[str, str], dict[int, list[Figure]]] = {}
    for figure in _all_figures(corpus):
        turn = figure.turn
        if True:
            unit_class = (
                "count" if not figure.unit else ("%" if figure.unit == "%" else "money")
            )
            by_head.setdefault((unit_class, figure.head), {}).setdefault(
                turn.doc, []
            ).append(figure)
    findings = []
    for (unit_class, _head), per_doc in sorted(by_head.items()):
        if len(per_doc) < 2:
            continue
        finding = _disagreement(corpus, unit_class, per_doc)
        if finding:
            findings.append(finding)
    return findings


# The start of a digit run (not inside "[00:01:23]" or "v1.2") or a currency sign.
DIGIT_TRIGGER_RE = re.compile(r"[€$£]|(?<![\w.,:\[#/-])\d")
UNIT_WORD_RE = re.compile(rf"\b(?:{_UNIT[:-2]})\b", re.IGNORECASE)
UNIT_CUES = frozenset(
    """
    euro euros eur dollar dollars usd pound pounds gbp quid percent cent
    """.split()
)
LOOK_BACK = 80  # characters before a unit word in which its spoken number may start


def _all_figures(corpus: Corpus):
    """Every figure of the corpus: QUANTITY_RE tried at digits and currency signs, and
    searched just before unit words in the turns that have one ("twenty five Euros")."""
    for doc, document in enumerate(corpus.documents):
        text = document.text
        turns = corpus.turns[corpus.doc_turns[doc].start : corpus.doc_turns[doc].stop]
        starts = [t.start for t in turns]
        matches = {}
        for trigger in DIGIT_TRIGGER_RE.finditer(text):
            at = trigger.start()
            if at >= 1 and text[at - 1] in "€$£":
                at -= 1
            elif at >= 2 and text[at - 2] in "€$£" and text[at - 1] == " ":
                at -= 2
            match = QUANTITY_RE.match(text, at)
            if match:
                matches.setdefault(match.start(), match)
        for turn in turns:
            if turn.cues and not UNIT_CUES.isdisjoint(turn.cues):
                for unit in UNIT_WORD_RE.finditer(text, turn.start, turn.end):
                    window = (
                        text.rfind(
                            " ", turn.start, max(turn.start, unit.start() - LOOK_BACK)
                        )
                        + 1
                    )
                    for match in QUANTITY_RE.finditer(
                        text, max(window, turn.start), min(turn.end, unit.end() + 40)
                    ):
                        if match.end() > unit.start():
                            matches.setdefault(match.start(), match)
                            break
        end = -1
        for at in sorted(matches):
            match = matches[at]
            if at < end:
                continue  # "25" inside "€25", or a unit word's look-back finding the same
            end = match.end()
            index = bisect.bisect_right(starts, at) - 1
            if index < 0 or match.end() > turns[index].end:
                continue
            turn = turns[index]
            segment = text[turn.start : turn.end]
            local = QUANTITY_RE.match(segment, at - turn.start)
            if local:
                figure = _figure(turn, segment, local)
                if figure:
                    yield figure


def _figure(turn: Turn, segment: str, match: re.Match) -> Figure | None:
    groups = match.groupdict()
    if groups["count"]:
        value = _number(groups["count"])
        if (
            value is None
            or (1900 <= value <= 2100 and float(value).is_integer())
            or value < 2
        ):
            return None  # years are dates, and "1" is "one of them"
        unit = ""
    else:
        raw = groups["num1"] or groups["num2"]
        value = _number(raw)
        if value is None:
            return None
        scale = (groups["scale1"] or groups["scale2"] or "").lower()
        value *= SCALES.get(scale, 1)
        unit = UNITS[(groups["pre"] or groups["unit"]).lower()]
        cents = groups["cents"]
        if cents and unit != "%":
            cents_value = _number(cents)
            if cents_value is not None and cents_value < 100:
                value += cents_value / 100
    head, head_text = _head(segment, match, before_first=bool(unit))
    if head is None or head in VAGUE_HEADS:
        return None
    start = turn.start + match.start()
    return Figure(
        turn,
        unit,
        round(value, 4),
        match.group().strip(),
        head,
        head_text,
        start,
        turn.start + match.end(),
    )


def _head(
    segment: str, match: re.Match, *, before_first: bool
) -> tuple[str | None, str]:
    """The content word the figure is attached to, within the same sentence.

    Amounts and percentages name their subject before them ("the price is 25 Euro"); bare
    counts after them ("300 units")."""
    before = re.split(
        r"[.!?;:]\s", segment[max(0, match.start() - 80) : match.start()]
    )[-1]
    after = re.split(r"[.!?;:](?:\s|$)", segment[match.end() : match.end() + 60])[0]
    before_words = [w for w in TOKEN_RE.findall(before) if w[0].isalpha()][-WINDOW:]
    after_words = [w for w in TOKEN_RE.findall(after) if w[0].isalpha()][:2]
    candidates = (
        list(reversed(before_words)) + after_words if before_first else after_words
    )
    for word in candidates:
        stem = lemma(word.lower())
        if stem and stem not in UNIT_LEMMAS:
            return stem, word
    return None, ""


UNIT_LEMMAS = frozenset(lemma(w) or w for w in list(UNITS) + ["cent", "cents", "pence"])


def _number(raw: str) -> float | None:
    raw = raw.strip().lower()
    if raw[0].isdigit():
        try:
            return float(raw.replace(",", ""))
        except ValueError:
            return None
    whole, _, decimals = raw.partition(" point ")
    total = current = 0
    for word in re.split(r"[\s-]+", whole):
        if word == "and" or not word:
            continue
        if word in WORD_VALUES:
            current += WORD_VALUES[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in SCALES:
            total += max(current, 1) * SCALES[word]
            current = 0
        else:
            return None
    value = float(total + current)
    if decimals:
        digits = "".join(str(WORD_VALUES.get(w, "")) for w in decimals.split())
        value = float(f"{int(value)}.{digits}") if digits else value
    return value


def _disagreement(
    corpus: Corpus, unit_class: str, per_doc: dict[int, list[Figure]]
) -> Finding | None:
    """The earliest and the latest document that each give one clear, different figure."""
    clear = {}
    for doc, figures in sorted(per_doc.items()):
        values = sorted({f.value for f in figures})
        if (
            len(values) == 1
        ):  # a document that discusses several figures is not stating one
            clear[doc] = figures[0]
    if len(clear) < 2:
        return None
    docs = sorted(clear)
    first = clear[docs[0]]
    later = [clear[d] for d in docs[1:] if clear[d].value != first.value]
    if not later:
        return None
    second = later[-1]
    if unit_class == "count" and (
        max(first.value, second.value) < 10
        or first.turn.speaker == second.turn.speaker != ""
    ):
        return (
            None  # small counts ("two buttons") differ for every reason under the sun
        )
    agreeing = [d for d in docs if clear[d].value == first.value]
    a_doc, b_doc = corpus.documents[first.turn.doc], corpus.documents[second.turn.doc]
    head = first.head_text.lower()
    by_a = f" ({first.turn.speaker})" if first.turn.speaker else ""
    by_b = f" ({second.turn.speaker})" if second.turn.speaker else ""
    strength = {"money": 0.85, "%": 0.7, "count": 0.55}[unit_class]
    return Finding(
        kind="contradiction",
        title=f"Figures for “{head}” disagree: {_clean(first.text)} vs {_clean(second.text)}",
        observation=(
            f"{corpus.label(first.turn.doc)}{by_a} gives {_clean(first.text)} next to “{first.head_text}”; "
            f"{corpus.label(second.turn.doc)}{by_b} gives {_clean(second.text)} next to “{second.head_text}”. "
            + (
                f"{len(agreeing)} document(s) agree with the earlier figure. "
                if len(agreeing) > 1
                else ""
            )
            + "They may be different quantities that share a word; check before relying on either."
        ),
        why_it_matters=(
            "When a figure changes between documents without anyone saying so, people end up "
            "planning with different numbers."
        ),
        confidence="medium" if unit_class != "count" else "low",
        evidence=[
            (a_doc.id, _context(corpus, first)),
            (b_doc.id, _context(corpus, second)),
        ],
        score=strength
        * (
            0.7
            + 0.3
            * (second.turn.doc - first.turn.doc)
            / max(1, len(corpus.documents) - 1)
        ),
        doc=second.turn.doc,
        follow_up=f"Which figure for “{head}” is current: {_clean(first.text)} or {_clean(second.text)}?",
        keys=frozenset({first.head}),
    )


def _context(corpus: Corpus, figure: Figure) -> str:
    """The sentence holding the figure, trimmed around it when long."""
    text = corpus.documents[figure.turn.doc].text
    for sentence in corpus.sentences(figure.turn):
        if sentence.start <= figure.start < sentence.end:
            if sentence.end - sentence.start <= 300:
                return quote(text, sentence.start, sentence.end)
            start = max(
                sentence.start,
                text.rfind(" ", sentence.start, max(sentence.start, figure.start - 120))
                + 1,
            )
            return quote(text, start, min(sentence.end, figure.end + 120))
    return quote(
        text,
        max(figure.turn.start, figure.start - 100),
        min(figure.turn.end, figure.end + 100),
    )


def _clean(text: str) -> str:
    return clip(text, 40)

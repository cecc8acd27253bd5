"""Documents into ordered turns, with an inverted index for "was this mentioned again later?".

A turn is what one speaker said before someone else spoke (a transcript cue run, a
`Speaker: text` line) or, in documents without speakers, one paragraph or list item.
Turns are numbered across the whole corpus in document order, so "later" is `position >`.
"""

import bisect
import heapq
import itertools
import re
from dataclasses import dataclass
from datetime import date

from ..sources import SourceDocument
from .words import CUE_WORDS, TOKEN_RE, lemma

SPEAKER_LINE_RE = re.compile(r"^(?P<speaker>[^\W\d_][\w .'’()&/-]{0,58}?):[ \t]+(?=\S)")
CUE_PREFIX_RE = re.compile(r"\s*(?:\[[0-9:.,]+\]\s*)?")
SENTENCE_RE = re.compile(r"[^\n]*?(?:[.!?]+(?=[\s\"')\]]|$)|\n|$)")
LEADING_NOISE_RE = re.compile(r"(?:\s|\{\w+\}|[-*+>#]+\s|\[[ xX]\]\s|[,;:])+")
BULLET_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
MAX_QUOTE = 300


@dataclass(frozen=True, slots=True)
class Turn:
    position: int
    doc: int
    speaker: str
    start: int
    end: int
    stream: tuple  # lemma per token, None for stopwords, numbers and punctuation
    keys: frozenset
    cues: frozenset  # the CUE_WORDS among its tokens


@dataclass(frozen=True, slots=True)
class Sentence:
    turn: Turn
    start: int
    end: int
    text: str


def order_documents(documents) -> list[SourceDocument]:
    """Undated documents (plans, contracts) first by id, then meetings by date and id."""
    return sorted(
        documents,
        key=lambda d: (d.meeting_date is not None, d.meeting_date or date.min, d.id),
    )


def turn_spans(document: SourceDocument) -> list[tuple[str, int, int]]:
    """(speaker, start, end) content spans of one document, speaker "" when unknown."""
    text = document.text
    with_speakers = [s for s in document.segments if s.get("speaker")]
    if with_speakers:
        return _spans_from_cues(text, with_speakers)
    spans = _spans_from_speaker_lines(text, document.speakers)
    if spans:
        return spans
    return _spans_from_paragraphs(text)


def _spans_from_cues(text: str, segments: list[dict]) -> list[tuple[str, int, int]]:
    spans: list[list] = []
    for segment in segments:
        start, end, speaker = (
            segment["start"],
            segment["end"],
            str(segment["speaker"]).strip(),
        )
        start += CUE_PREFIX_RE.match(text, start, end).end() - start
        if text.startswith(speaker + ":", start):
            start += len(speaker) + 1
        while start < end and text[start].isspace():
            start += 1
        if start >= end:
            continue
        if spans and spans[-1][0] == speaker:
            spans[-1][2] = end
        else:
            spans.append([speaker, start, end])
    return [tuple(s) for s in spans]


def _spans_from_speaker_lines(
    text: str, speakers: list[str]
) -> list[tuple[str, int, int]]:
    known = {s.strip() for s in speakers if s and s.strip()}
    spans: list[list] = []
    matched = lines = 0
    counts: dict[str, int] = {}
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            lines += 1
            match = SPEAKER_LINE_RE.match(body)
            name = match.group("speaker").strip() if match else ""
            if match and (name in known or (not known and len(name.split()) <= 6)):
                matched += 1
                counts[name] = counts.get(name, 0) + 1
                spans.append([name, offset + match.end(), offset + len(body)])
            elif spans:
                spans[-1][2] = offset + len(
                    body
                )  # a continuation line of the same turn
        offset += len(line)
    recurring = [name for name, n in counts.items() if n >= 2]
    if not spans or matched * 2 < lines or (not known and len(recurring) < 2):
        return []
    return [tuple(s) for s in spans]


def _spans_from_paragraphs(text: str) -> list[tuple[str, int, int]]:
    spans = []
    for block in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text):
        offset = block.start()
        lines = block.group().split("\n")
        if sum(1 for line in lines if BULLET_RE.match(line)) >= 1:
            for line in lines:  # list items are separate points, headings too
                if line.strip():
                    spans.append(("", offset, offset + len(line.rstrip())))
                offset += len(line) + 1
        else:
            spans.append(("", block.start(), block.end()))
    return spans


class Corpus:
    """Documents in chronological order, their turns, and content lemma → turn positions."""

    def __init__(self, documents) -> None:
        self.documents = order_documents(documents)
        self.turns: list[Turn] = []
        self.doc_turns: list[range] = []
        postings: dict[str, list[int]] = {}
        doc_frequency: dict[str, int] = {}
        for doc_index, document in enumerate(self.documents):
            first = len(self.turns)
            text = document.text
            for speaker, start, end in turn_spans(document):
                raw = TOKEN_RE.findall(text[start:end].lower())
                stream = tuple(map(lemma, raw))
                keys = frozenset(stream)
                keys = keys - {None} if None in keys else keys
                position = len(self.turns)
                cues = CUE_WORDS.intersection(raw)
                self.turns.append(
                    Turn(position, doc_index, speaker, start, end, stream, keys, cues)
                )
                for key in keys:
                    postings.setdefault(key, []).append(position)
            self.doc_turns.append(range(first, len(self.turns)))
            for key in {k for t in self.turns[first:] for k in t.keys}:
                doc_frequency[key] = doc_frequency.get(key, 0) + 1
        self.postings = postings
        self.doc_frequency = doc_frequency
        self.speakers = sorted({t.speaker for t in self.turns if t.speaker})

    def text(self, turn: Turn) -> str:
        return self.documents[turn.doc].text[turn.start : turn.end]

    def document(self, turn: Turn) -> SourceDocument:
        return self.documents[turn.doc]

    def frequency(self, key: str) -> int:
        return len(self.postings.get(key, ()))

    def distinctive(self, keys) -> list[str]:
        """The keys that say what a sentence is about: not in most documents of the corpus.

        In a series about one product, "remote" and "control" are everywhere; a question
        about "the kinetic battery" is about "kinetic". Rarest first."""
        keys = sorted(set(keys), key=lambda k: (len(self.postings.get(k, ())), k))
        if len(self.documents) < 3:
            return keys
        ceiling = 0.6 * len(self.documents)
        rare = [k for k in keys if self.doc_frequency.get(k, 0) < ceiling]
        return rare or keys[: max(1, len(keys) // 2)]

    def specific(self, keys) -> list[str]:
        """Like `distinctive`, but empty when every key is in most documents."""
        keys = sorted(set(keys), key=lambda k: (len(self.postings.get(k, ())), k))
        if len(self.documents) < 3:
            return keys
        return [
            k for k in keys if self.doc_frequency.get(k, 0) < 0.6 * len(self.documents)
        ]

    def turns_matching(self, pattern: re.Pattern, cues: frozenset) -> list[Turn]:
        """Turns whose text the pattern matches; only turns holding one of `cues` are searched."""
        found = []
        for turn in self.turns:
            if (
                turn.cues
                and not cues.isdisjoint(turn.cues)
                and pattern.search(self.documents[turn.doc].text, turn.start, turn.end)
            ):
                found.append(turn)
        return found

    def index_of(self, wanted) -> dict[str, list[int]]:
        """An inverted index of only the turns for which `wanted(turn)` holds (for example the
        turns reporting something done), for `find_later(..., postings=...)`."""
        postings: dict[str, list[int]] = {}
        for turn in self.turns:
            if wanted(turn):
                for key in turn.keys:
                    postings.setdefault(key, []).append(turn.position)
        return postings

    def find_later(
        self, keys, *, after: int, min_shared: int = 1, predicate=None, postings=None
    ) -> Turn | None:
        """The first turn after position `after` sharing `min_shared` of `keys` (and passing
        `predicate`), found through the rarest key's postings, not a scan of the corpus."""
        index = self.postings if postings is None else postings
        keys = [k for k in keys if k in index]
        if len(keys) < min_shared or not keys:
            return None
        keys.sort(key=lambda k: (len(index[k]), k))
        wanted = frozenset(keys)
        # Every qualifying turn holds at least one of the len(keys) - min_shared + 1 rarest keys.
        streams = []
        for key in keys[: len(keys) - min_shared + 1]:
            positions = index[key]
            streams.append(
                itertools.islice(positions, bisect.bisect_right(positions, after), None)
            )
        for position in heapq.merge(*streams):
            turn = self.turns[position]
            if len(turn.keys & wanted) >= min_shared and (
                predicate is None or predicate(turn)
            ):
                return turn
        return None

    def sentences(self, turn: Turn) -> list[Sentence]:
        text = self.documents[turn.doc].text
        out = []
        for match in SENTENCE_RE.finditer(text, turn.start, turn.end):
            start, end = _strip(text, match.start(), match.end())
            if end > start:
                out.append(Sentence(turn, start, end, text[start:end]))
            if match.end() >= turn.end:
                break
        return out

    def label(self, doc_index: int) -> str:
        """How a document is named in observations: its title and date when known."""
        document = self.documents[doc_index]
        when = f", {document.meeting_date.isoformat()}" if document.meeting_date else ""
        return f"“{document.title}”{when}"


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    noise = LEADING_NOISE_RE.match(text, start, end)
    if noise:
        start = noise.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def quote(text: str, start: int, end: int, max_len: int = MAX_QUOTE) -> str:
    """A readable exact substring of text[start:end]: markup trimmed, cut at a word."""
    start, end = _strip(text, start, end)
    if end - start > max_len:
        cut = text.rfind(" ", start, start + max_len)
        end = cut if cut > start + max_len // 2 else start + max_len
        while end > start and text[end - 1] in " ,;:{":
            end -= 1
    return text[start:end]


def clip(text: str, length: int = 90) -> str:
    """A short display form for titles (not a quote: may end with an ellipsis)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # Markdown links: their text
    text = re.sub(r"https?://\S+|\*\*|__|`", "", text)
    text = re.sub(r"\s+", " ", re.sub(r"\{\w+\}", " ", text)).strip()
    text = re.sub(r" ([,.?!])", r"\1", text)
    if len(text) <= length:
        return text
    return text[: text.rfind(" ", 0, length)].rstrip(",;:") + "…"

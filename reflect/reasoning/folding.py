"""Text folded for comparison, with a map back to the original offsets.

Folding: whitespace runs to one space and dropped before , . ; : ! ?, casefold, curly
quotes to straight, dashes to "-", "…" to "...", zero-width characters and soft hyphens
dropped, NFKC. Offsets found in folded text are always reported in the original text:
folding keeps a map from each folded character back to the original range it came from.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from functools import lru_cache

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′", "'"),
        **dict.fromkeys("“”„‟″", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "\u2026": "...",
        **dict.fromkeys(_ZERO_WIDTH),
    }
)
# Text outside these runs is printable ASCII and lone whitespace characters (not before
# punctuation), which fold one character to one character, so it is copied in bulk; only
# these runs are folded character by character.
_SPECIAL = re.compile(r"(?P<tight>\s+(?=[,.;:!?]))|[^!-~]{2,}|[^\x00-\x7f]")
# Whitespace before these is dropped: transcripts (AMI, ICSI) write "Okay , right ."
# where a quote says "Okay, right."; the space never carries meaning.
_TIGHT_PUNCTUATION = frozenset(",.;:!?")  # "..." too, as "…" folds to it
_ASCII_SPACES = str.maketrans(dict.fromkeys("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f", " "))


class Folded:
    """Folded text plus a map from each folded character back to its original range.

    The map is piecewise: a "linear" piece is a run copied one character for one
    character (original offset = piece start + distance), any other piece is one folded
    character that came from the original range [start, end).
    """

    def __init__(self, text: str):
        self._source = text
        self._norm_at = array("q")
        self._orig_start = array("q")
        self._orig_end = array("q")  # -1 marks a linear piece
        self._parts: list[str] = []
        self._length = 0
        self._last_is_space = False
        done = 0
        for special in _SPECIAL.finditer(text):
            begin, end = special.span()
            if special.lastgroup == "tight":
                self._copy(done, begin)  # "word ," folds to "word,"
                done = end
                continue
            # A combining mark belongs with the character before it.
            if begin > done and unicodedata.combining(text[begin]):
                begin -= 1
            self._copy(done, begin)
            self._fold_run(begin, end)
            done = end
        self._copy(done, len(text))
        self.text = "".join(self._parts)
        del self._parts

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self._original(start)[0], self._original(end - 1)[1]

    def _original(self, index: int) -> tuple[int, int]:
        piece = bisect_right(self._norm_at, index) - 1
        start, end = self._orig_start[piece], self._orig_end[piece]
        if end < 0:
            start += index - self._norm_at[piece]
            end = start + 1
        return start, end

    def _copy(self, begin: int, end: int) -> None:
        if begin >= end:
            return
        chunk = self._source[begin:end]
        if chunk[0] in _TIGHT_PUNCTUATION:
            self._drop_trailing_space()
        self._parts.append(chunk.lower().translate(_ASCII_SPACES))
        self._add_piece(begin, -1)
        self._length += len(chunk)
        self._last_is_space = chunk[-1].isspace()

    def _fold_run(self, begin: int, end: int) -> None:
        text = self._source
        i = begin
        while i < end:
            j = i + 1
            while j < end and unicodedata.combining(text[j]):
                j += 1
            unit = text[i:j]
            folded = " " if unit.isspace() else _fold_unit(unit)
            if folded[:1] in _TIGHT_PUNCTUATION:
                self._drop_trailing_space()
            for char in folded:
                if char.isspace():
                    if self._last_is_space:
                        self._widen_last(j)
                        continue
                    char = " "
                self._parts.append(char)
                self._add_piece(i, j)
                self._length += 1
                self._last_is_space = char == " "
            i = j

    def _drop_trailing_space(self) -> None:
        if not self._last_is_space:
            return
        self._length -= 1
        self._parts[-1] = self._parts[-1][:-1]
        if not self._parts[-1]:
            self._parts.pop()
        if self._norm_at[-1] == self._length:
            for column in (self._norm_at, self._orig_start, self._orig_end):
                column.pop()
        self._last_is_space = False

    def _add_piece(self, start: int, end: int) -> None:
        self._norm_at.append(self._length)
        self._orig_start.append(start)
        self._orig_end.append(end)

    def _widen_last(self, end: int) -> None:
        """Let the last folded character (a space) cover original text up to `end`."""
        last = self._length - 1
        if self._orig_end[-1] < 0:  # the space closes a linear piece: split it off
            start = self._orig_start[-1] + last - self._norm_at[-1]
            self._norm_at.append(last)
            self._orig_start.append(start)
            self._orig_end.append(end)
        else:
            self._orig_end[-1] = end


@lru_cache(maxsize=4096)
def _fold_unit(unit: str) -> str:
    folded = unicodedata.normalize("NFKC", unit.translate(_PUNCTUATION)).casefold()
    return unicodedata.normalize("NFKC", folded)


def fold_quote(quote: str) -> str:
    folded = Folded(quote).text.strip()
    # Models sometimes wrap a quote in quotation marks of their own.
    if len(folded) > 2 and folded[0] == folded[-1] == '"' and '"' not in folded[1:-1]:
        folded = folded[1:-1].strip()
    return folded


class SourceText:
    """A document's text, folded lazily and at most once."""

    def __init__(self, text: str):
        self.text = text
        self._folded: Folded | None = None

    @property
    def folded(self) -> Folded:
        if self._folded is None:
            self._folded = Folded(self.text)
        return self._folded

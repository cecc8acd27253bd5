"""Locate a quote from the model in a document's text.

A quote is located in three steps, cheapest first:

1. exact: the stripped quote is a substring of the document text;
2. normalised: both sides folded the same way (see `folding`). A quote with "..."
   elisions matches when each piece is found, in order, with at most ELISION_GAP
   characters between consecutive pieces;
3. approximate: a window of the folded text of about the quote's length with a
   difflib similarity of at least APPROXIMATE_THRESHOLD *and* the same meaning-bearing
   tokens (see `_meaning_tokens`). Candidate windows come from character n-grams of
   the quote found with `str.find`, so the cost is a few scans of the text per quote,
   never a slide over the whole document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .folding import SourceText, fold_quote

MIN_QUOTE_CHARS = 3  # letters or digits after folding; shorter quotes prove nothing
ELISION_GAP = 2000  # most characters allowed between two pieces of an elided quote
APPROXIMATE_THRESHOLD = 0.9
FUZZY_MIN_CHARS = 20  # below this one changed character is already >5%: no fuzzy match
FUZZY_MAX_CHARS = 1000  # keeps SequenceMatcher (quadratic worst case) bounded
FUZZY_CANDIDATES = 3  # windows scored per quote
GRAM_HITS_CAP = 64  # an n-gram seen more often than this is too common to anchor on
MIN_SHARED_PAIRS = 0.4  # share of the quote's adjacent word pairs a window must hold
ELISION_STARTS_CAP = 1000  # occurrences of an elided quote's first piece worth trying

_ELISION = re.compile(r"\s*[\[(]?\s*\.{3,}\s*[\])]?\s*")
_WORD = re.compile(r"\w+(?:'\w+)*")
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")

MATCH_EXACT = "exact"
MATCH_NORMALISED = "normalised"
MATCH_APPROXIMATE = "approximate"
MATCH_UNVERIFIED = "unverified"


@dataclass(frozen=True)
class QuoteMatch:
    start: int  # character range in the original text
    end: int
    match: str  # "exact" | "normalised" | "approximate"
    similarity: float  # 1.0 for exact and normalised


def locate_quote(quote: str, text: str) -> QuoteMatch | None:
    """Find `quote` in `text`: exact, else normalised, else approximate, else None."""
    return locate_in_source(quote, SourceText(text))


def locate_in_source(quote: str, source: SourceText) -> QuoteMatch | None:
    """`locate_quote` on a source shared by many quotes, so it is folded once."""
    if not isinstance(quote, str):
        return None
    needle = fold_quote(quote)
    if sum(c.isalnum() for c in needle) < MIN_QUOTE_CHARS:
        return None
    stripped = quote.strip()
    start = source.text.find(stripped)
    if start != -1:
        return QuoteMatch(start, start + len(stripped), MATCH_EXACT, 1.0)
    folded = source.folded
    span = _find_folded(needle, folded.text)
    if span is None:
        span = _find_elided(needle, folded.text)
    if span is not None:
        return QuoteMatch(*folded.original_span(*span), MATCH_NORMALISED, 1.0)
    approximate = _find_approximate(needle, folded.text)
    if approximate is not None:
        start, end, similarity = approximate
        return QuoteMatch(
            *folded.original_span(start, end), MATCH_APPROXIMATE, round(similarity, 3)
        )
    return None


def _find_folded(needle: str, haystack: str) -> tuple[int, int] | None:
    start = haystack.find(needle)
    return None if start == -1 else (start, start + len(needle))


def _find_elided(needle: str, haystack: str) -> tuple[int, int] | None:
    """Match "a ... b" when a and b occur in order, at most ELISION_GAP apart."""
    if "..." not in needle:
        return None
    pieces = [piece for piece in _ELISION.split(needle) if piece]
    if not pieces or any(
        sum(c.isalnum() for c in piece) < MIN_QUOTE_CHARS for piece in pieces
    ):
        return None
    first, rest = pieces[0], pieces[1:]
    start = haystack.find(first)
    for _ in range(ELISION_STARTS_CAP):
        if start == -1:
            return None
        end = start + len(first)
        for piece in rest:
            found = haystack.find(piece, end, end + ELISION_GAP + len(piece))
            if found == -1:
                break
            end = found + len(piece)
        else:
            return start, end
        start = haystack.find(first, start + 1)
    return None


# Similar-looking text can say the opposite. An approximate match therefore also needs
# the same numbers (digits or words), negations, quantifiers and modal verbs, in the
# same order, as the quote: "will not" never matches "will", "25" never matches "12.50"
# and "must" never matches "may", however high the similarity. Unverified is the safe
# failure; a wrong "approximate" would put words in a speaker's mouth.
_NEGATIONS = {
    "not", "no", "nor", "never", "none", "nothing", "nobody", "nowhere", "neither",
    "cannot", "without",
}  # fmt: skip
_NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty",
    "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion",
    "half", "quarter", "double", "twice", "first", "second", "third", "last",
}  # fmt: skip
_POLARITY_WORDS = {
    "all", "every", "each", "some", "any", "most", "more", "less", "fewer", "least",
    "always", "sometimes", "only", "before", "after", "above", "below", "higher",
    "lower", "increase", "increased", "decrease", "decreased", "yes",
    "can", "could", "will", "would", "shall", "should", "must", "may", "might",
}  # fmt: skip
_MEANING_WORDS = _NEGATIONS | _NUMBER_WORDS | _POLARITY_WORDS


def _meaning_tokens(folded: str) -> list[str]:
    tokens = [
        word
        for word in _WORD.findall(folded)
        if word in _MEANING_WORDS or word.endswith("n't")
    ]
    return tokens + _NUMBER.findall(folded)


def _find_approximate(needle: str, haystack: str) -> tuple[int, int, float] | None:
    size = len(needle)
    if not FUZZY_MIN_CHARS <= size <= FUZZY_MAX_CHARS:
        return None
    best: tuple[int, int, float] | None = None
    for anchor in _anchors(needle, haystack):
        found = _best_window(needle, haystack, anchor)
        if found is not None and (best is None or found[2] > best[2]):
            best = found
    return best


def _anchors(needle: str, haystack: str) -> list[int]:
    """Likely start positions of `needle` in `haystack`, best supported first.

    Overlapping n-grams spread over the quote are looked up with `str.find`; each hit
    votes for the start it implies. A true approximate match keeps most n-grams intact,
    so it collects several votes, while a fabricated sentence rarely collects any.
    """
    size = len(needle)
    # Each n-gram costs one scan of the text; longer ones scan faster but break more
    # easily, so they are used only where the quote has room for many of them.
    gram = 8 if size < 60 else 12 if size < 200 else 16
    count = min(10, max(1, 2 * (size - gram) // gram + 1))
    step = (size - gram) / max(1, count - 1)
    offsets = sorted({round(k * step) for k in range(count)})
    bucket = max(8, size // 8)
    votes: dict[int, list[tuple[int, int]]] = {}
    for index, offset in enumerate(offsets):
        piece = needle[offset : offset + gram]
        hits = []
        position = haystack.find(piece)
        while position != -1 and len(hits) <= GRAM_HITS_CAP:
            hits.append(position)
            position = haystack.find(piece, position + 1)
        if len(hits) > GRAM_HITS_CAP:
            continue
        for position in hits:
            implied = position - offset
            votes.setdefault(implied // bucket, []).append((implied, index))
    needed = 1 if len(offsets) < 4 else 2
    scored: list[tuple[int, int, int]] = []
    for key in votes:
        around = votes.get(key - 1, []) + votes[key] + votes.get(key + 1, [])
        voters = len({index for _, index in around})
        if voters >= needed:
            implied = sorted(start for start, _ in around)
            scored.append((voters, key, implied[len(implied) // 2]))
    scored.sort(reverse=True)
    anchors: list[tuple[int, int]] = []
    for voters, key, implied in scored:
        if voters * 2 < scored[0][0]:
            break  # far fewer votes than the best candidate: not worth scoring
        if all(abs(key - taken) > 2 for taken, _ in anchors):
            anchors.append((key, implied))
        if len(anchors) == FUZZY_CANDIDATES:
            break
    return [max(0, implied) for _, implied in anchors]


def _best_window(
    needle: str, haystack: str, anchor: int
) -> tuple[int, int, float] | None:
    """Score the window around `anchor` with difflib, aligning once.

    The window is trimmed to what aligns with the quote and widened to whole words; its
    similarity is difflib's ratio, 2 * matched / total length, over that final window.
    """
    size = len(needle)
    slack = size // 10 + 8
    low = max(0, anchor - slack)
    window = haystack[low : anchor + size + slack]
    if not _shares_word_pairs(needle, window):
        return None
    matcher = SequenceMatcher(None, window, needle, autojunk=False)
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    while blocks and blocks[0].size < 3:
        blocks.pop(0)
    while blocks and blocks[-1].size < 3:
        blocks.pop()
    if not blocks:
        return None
    start, end = _whole_words(
        haystack, low + blocks[0].a, low + blocks[-1].a + blocks[-1].size
    )
    ratio = 2 * sum(block.size for block in blocks) / (size + end - start)
    if ratio < APPROXIMATE_THRESHOLD:
        return None
    if _meaning_tokens(haystack[start:end]) != _meaning_tokens(needle):
        return None
    return start, end, ratio


def _shares_word_pairs(needle: str, window: str) -> bool:
    """Cheap screen before difflib: most adjacent word pairs of the quote must appear.

    Rewording one word breaks at most two pairs, so a quote within reach of the
    threshold keeps well over MIN_SHARED_PAIRS of them, whereas a sentence assembled
    from the same words in another order keeps few. Texts without spaces (CJK) have no
    pairs and skip the screen.
    """
    words = _WORD.findall(needle)
    pairs = set(zip(words, words[1:], strict=False))
    if len(pairs) < 4:
        return True
    found = _WORD.findall(window)
    shared = pairs & set(zip(found, found[1:], strict=False))
    return len(shared) >= MIN_SHARED_PAIRS * len(pairs)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

"""Plain text and Markdown: the text as written, with a segment per block.

The text is kept as the person wrote it (only line endings and control characters are
normalised), so a quote matches the original file. Blocks are runs of lines separated by
blank lines; in a transcript written as `Speaker: text` lines each line is its own block,
so a quote is traced to its turn.
"""

import re

from .base import Extraction, ExtractionError, Limits, too_many, too_much_text
from .speakers import speaker_prefix
from .textcodec import decode_text, normalize_text

BLOCK = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
LINE = re.compile(r"[^\n]*\S[^\n]*")
# A transcript: at least this share of the non-blank lines start with a speaker.
TRANSCRIPT_SHARE = 0.5
TRANSCRIPT_MIN_TURNS = 3


def extract_plaintext(data: bytes, *, kind: str, limits: Limits) -> Extraction:
    text = decode_text(data)
    if text is None:
        raise ExtractionError("this file is not text")
    text = normalize_text(text)
    if not text.strip():
        raise ExtractionError("empty file")
    if len(text) > limits.max_extracted_chars:
        raise too_much_text(limits.max_extracted_chars)
    if text.count("\n") + (not text.endswith("\n")) > limits.max_text_lines:
        raise too_many(limits.max_text_lines, "lines")

    speakers = _transcript_speakers(text)
    pattern = LINE if speakers else BLOCK
    segments = []
    line = 1
    position = 0
    for match in pattern.finditer(text):
        start = match.start()
        line += text.count("\n", position, start)
        position = start
        # Blocks never start or end on a blank line; trim the spaces around the words.
        end = match.end()
        while text[start] in " \t":
            start += 1
        while text[end - 1] in " \t":
            end -= 1
        segments.append({"start": start, "end": end, "line": line})
    return Extraction(kind=kind, text=text, segments=segments, speakers=speakers)


def _transcript_speakers(text: str) -> list[str]:
    """Distinct speakers in order of appearance when the text reads as `Speaker: text` lines."""
    seen: dict[str, None] = {}
    turns = 0
    lines = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        lines += 1
        found = speaker_prefix(line)
        if found is not None:
            turns += 1
            seen.setdefault(found[0], None)
    if turns >= TRANSCRIPT_MIN_TURNS and turns >= TRANSCRIPT_SHARE * lines:
        return list(seen)
    return []

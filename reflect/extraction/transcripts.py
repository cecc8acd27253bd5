"""WebVTT and SubRip transcripts: cues merged into speaker turns, one line block per turn.

The parser is lenient on purpose: captions come from many tools and people fix them by hand.
It reads cue timings with or without hours and milliseconds, with "," or "." before the
fraction, with cue settings or coordinates after them; cues with or without identifiers and
blank lines between them. It skips NOTE, STYLE and REGION blocks and the header block.

Each turn renders as `[HH:MM:SS] Speaker: text`, or `[HH:MM:SS] text` when nobody is named.
A cue continues the current turn unless it names a speaker (a `<v Name>` voice span, a
`Name:` prefix, a `[Name]` label) different from the current one or starts with a `>>`
speaker-change marker. A turn also ends after MAX_TURN_SECONDS, so a locator is never far
from the words it points at, even in captions that name nobody.
"""

import html
import re

from .base import Extraction, ExtractionError, Limits, TextBuilder, too_many
from .speakers import bracketed_speaker, speaker_prefix
from .textcodec import decode_text, normalize_text

MAX_TURN_SECONDS = 60.0

TIMESTAMP = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?"
TIMING = re.compile(r"[ \t]*" + TIMESTAMP + r"[ \t]*-->[ \t]*(?:" + TIMESTAMP + r")?")
NUMBER = re.compile(r"\d+")
VOICE = re.compile(r"<v(?:\.[^ \t>]*)?(?:[ \t]+([^>]*))?>")
RUBY_TEXT = re.compile(r"<rt>.*?(?:</rt>|$)")
# Tags, karaoke timestamps, the name of a tag left unclosed, SSA codes such as {\an8}.
TAG = re.compile(
    r"</?(?:[A-Za-z][^<>\n]*|\d[\d:.]*)>|</?[A-Za-z][\w.]*(?=[^>]*$)|\{\\[^}]*\}"
)
CHANGE = re.compile(r"[ \t]*>>+[ \t]*")
BLOCK_KEYWORD = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
SPACES = re.compile(r"[ \t\u00a0\u200b\u200e\u200f]+")


def extract_transcript(data: bytes, *, kind: str, limits: Limits) -> Extraction:
    text = decode_text(data)
    if text is None:
        raise ExtractionError("this file is not text")
    # Every cue has a timing line with an arrow: counting arrows bounds the cues before
    # any is parsed.
    if text.count("-->") > limits.max_transcript_cues:
        raise too_many(limits.max_transcript_cues, "cues")
    cues = parse_cues(normalize_text(text), vtt=kind == "vtt")
    builder = TextBuilder(max_chars=limits.max_extracted_chars)
    speakers: dict[str, None] = {}
    for seconds, speaker, words in merge_turns(cues):
        time = clock(seconds)
        line = f"[{time}] {speaker}: {words}" if speaker else f"[{time}] {words}"
        builder.add(line, time=time, seconds=seconds, speaker=speaker)
        if speaker:
            speakers.setdefault(speaker, None)
    if not builder.segments:
        raise ExtractionError("empty file: the transcript has no captions")
    return Extraction(
        kind=kind, text=builder.text, segments=builder.segments, speakers=list(speakers)
    )


def parse_cues(text: str, *, vtt: bool) -> list[tuple[float, float | None, list[str]]]:
    """Return (start, end, payload lines) for every cue with a readable start time."""
    lines = text.split("\n")
    cues = []
    cue = None  # (start, end, lines) of the cue being read
    loose: list[str] = []  # lines outside any cue: identifiers, comments, stray text
    skipping = False  # inside the header or a NOTE / STYLE / REGION block
    index = 0
    if vtt:
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index < len(lines) and lines[index].lstrip("\ufeff").startswith("WEBVTT"):
            skipping = True
            index += 1
    for line in lines[index:]:
        timing = TIMING.match(line) if "-->" in line else None
        if timing is not None:
            if loose:
                loose.pop()  # the line right before a timing line is the cue identifier
                _append_stray(cue or (cues[-1] if cues else None), loose, vtt=vtt)
                loose = []
            skipping = False
            start = _seconds(timing.group(1, 2, 3, 4))
            end = _seconds(timing.group(5, 6, 7, 8)) if timing.group(6) else None
            cue = (start, end, [])
            cues.append(cue)
        elif not line.strip():
            if loose:
                _append_stray(cues[-1] if cues else None, loose, vtt=vtt)
                loose = []
            cue = None
            skipping = False
        elif skipping:
            continue
        elif cue is not None:
            cue[2].append(line)
        elif vtt and not loose and BLOCK_KEYWORD.match(line):
            skipping = True
        else:
            loose.append(line)
    if loose:
        _append_stray(cues[-1] if cues else None, loose, vtt=vtt)
    return cues


def _append_stray(cue, lines: list[str], *, vtt: bool) -> None:
    """Text outside any cue (a cue missing its timing line) joins the cue before it."""
    if cue is None:
        return  # header metadata or garbage before the first cue
    if not vtt and lines and NUMBER.fullmatch(lines[0].strip()):
        lines = lines[1:]  # an SRT index whose timing line is missing
    cue[2].extend(lines)


def merge_turns(cues) -> list[tuple[float, str | None, str]]:
    turns: list[list] = []  # [start seconds, speaker, lines]
    current = None
    last_line = None
    pending_speaker = None  # a label on a line of its own names the words after it
    pending_change = False
    for start, end, payload in cues:
        if end == start or not payload:
            continue  # zero-length cues are hidden by players (and used to hide data)
        for speaker, changed, words in _pieces(payload):
            if not words:
                pending_speaker = speaker or pending_speaker
                pending_change = pending_change or changed
                continue
            speaker = speaker or pending_speaker
            changed = changed or pending_change
            pending_speaker, pending_change = None, False
            if words == last_line:
                continue  # rolling captions repeat the previous cue's last line
            last_line = words
            same = (
                current is not None
                and not changed
                and (speaker is None or speaker == current[1])
                and start - current[0] < MAX_TURN_SECONDS
            )
            if same:
                current[2].append(words)
            else:
                if speaker is None and not changed and current is not None:
                    speaker = current[1]
                current = [start, speaker, [words]]
                turns.append(current)
    return [(start, speaker, " ".join(lines)) for start, speaker, lines in turns]


def _pieces(payload: list[str]):
    """Yield (speaker or None, starts a new turn, words) for the lines of one cue."""
    for raw in payload:
        if "<v" in raw:
            parts = VOICE.split(raw)
            # parts = [before, name1, text1, name2, text2, ...]
            if parts[0].strip():
                yield from _line_pieces(parts[0])
            for position in range(1, len(parts), 2):
                name = _clean(parts[position] or "") or None
                yield from _line_pieces(parts[position + 1], speaker=name)
        else:
            yield from _line_pieces(raw)


def _line_pieces(raw: str, *, speaker: str | None = None):
    text = _clean(raw)
    if ">>" in text:
        chunks = CHANGE.split(text)
        if chunks[0]:
            yield from _labelled(chunks[0], speaker, changed=False)
        for chunk in chunks[1:]:
            yield from _labelled(chunk, None, changed=True)
    else:
        yield from _labelled(text, speaker, changed=False)


def _labelled(text: str, speaker: str | None, *, changed: bool):
    if speaker is None and text:
        found = speaker_prefix(text) or bracketed_speaker(text)
        if found is not None:
            speaker, text = found[0], text[found[1] :]
            if not text:
                yield speaker, changed, ""
                return
    yield speaker, changed, text.strip()


def _clean(text: str) -> str:
    if "<" in text or "{" in text:
        if "<rt>" in text:
            text = RUBY_TEXT.sub("", text)
        text = TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return SPACES.sub(" ", text).strip()


def _seconds(groups) -> float:
    hours, minutes, seconds, fraction = groups
    value = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if fraction:
        value += int(fraction) / 10 ** len(fraction)
    return round(float(value), 3)


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"

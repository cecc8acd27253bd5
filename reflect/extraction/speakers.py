"""Recognise a speaker label at the start of a line: `Alice:`, `Project Manager:`, `[Alba]`."""

import re

# One to four words, each starting with a capital letter or a digit after the first, then a
# colon. Words may hold dots, apostrophes and hyphens (Dr. O'Neil-Smith).
_NAME = r"[A-Z\u00c0-\u00de][\w.'\u2019-]*(?:[ \t]+[A-Z0-9\u00c0-\u00de][\w.'\u2019-]*){0,3}"
PREFIX = re.compile(r"[ \t]*(?P<name>" + _NAME + r")[ \t]*:(?:[ \t]+|$)")
BRACKETED = re.compile(r"[ \t]*\[(?P<name>" + _NAME + r")\][ \t]*")
# Labels that introduce a sentence rather than name a person.
NOT_SPEAKERS = {
    "action",
    "action item",
    "action items",
    "agenda",
    "answer",
    "applause",
    "crosstalk",
    "inaudible",
    "laughter",
    "music",
    "silence",
    "attendees",
    "bcc",
    "cc",
    "caution",
    "date",
    "decision",
    "decisions",
    "edit",
    "example",
    "fixme",
    "from",
    "however",
    "http",
    "https",
    "important",
    "info",
    "location",
    "next steps",
    "nb",
    "note",
    "notes",
    "ps",
    "question",
    "sent",
    "re",
    "so",
    "subject",
    "summary",
    "time",
    "tip",
    "to",
    "todo",
    "topic",
    "update",
    "warning",
    "where",
    "when",
    "why",
    "what",
}


def speaker_prefix(line: str) -> tuple[str, int] | None:
    """Return (speaker, index where the spoken text starts) or None."""
    match = PREFIX.match(line)
    if match is None:
        return None
    name = match.group("name")
    if name.lower() in NOT_SPEAKERS or name.endswith("."):
        return None
    return name, match.end()


def bracketed_speaker(line: str) -> tuple[str, int] | None:
    """`[Alba] En 1928,`: a label in brackets followed by speech (not `[applause]`)."""
    match = BRACKETED.match(line)
    if match is None or match.end() == len(line):
        return None
    if match.group("name").lower() in NOT_SPEAKERS:
        return None
    return match.group("name"), match.end()

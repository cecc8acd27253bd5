"""Guess the date a meeting took place from a file name or the first lines of its text.

Only unambiguous forms are read: year first (2024-03-05, 2024.03.05, 2024_03_05), month
spelled out (March 5, 2024; 5 March 2024), and day.month.year with dots (05.03.2024, the
European convention). Slashes (03/05/2024) are read only when one side is above 12. Anything
else, including codes such as "ES2004a", gives None.
"""

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month_name>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

PATTERNS = [
    # 2024-03-05, 2024.03.05, 2024_03_05, 2024/03/05
    re.compile(
        r"(?<!\d)"
        + _YEAR
        + r"(?P<sep>[-._/])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)(?!\d)"
    ),
    # March 5, 2024 / Mar 5th 2024
    re.compile(
        r"\b"
        + _MONTH
        + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+"
        + _YEAR
        + r"(?!\d)",
        re.IGNORECASE,
    ),
    # 5 March 2024 / 5th of March, 2024
    re.compile(
        r"(?<!\d)(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
        + _MONTH
        + r",?\s+"
        + _YEAR
        + r"(?!\d)",
        re.IGNORECASE,
    ),
    # 05.03.2024 (day first, as written wherever dots separate dates)
    re.compile(
        r"(?<![\w.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)(?!\d)(?!\.\d)"
    ),
    # 03/05/2024 or 13/05/2024: only when one side cannot be a month
    re.compile(
        r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d\d)(?![\d/])"
    ),
]
# Compact 20240305 only in file names, where it is a common way to stamp a recording.
COMPACT = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?!\d)"
)

CONTENT_LINES = 5
CONTENT_CHARS = 600


def meeting_date(*, filename: str, text: str = "") -> date | None:
    """Return the meeting date the name or the first lines state, or None when unsure."""
    found = find_date(filename or "", compact=True)
    if found is not None:
        return found
    lines = [line for line in text[:CONTENT_CHARS].splitlines() if line.strip()]
    for line in lines[:CONTENT_LINES]:
        found = find_date(line)
        if found is not None:
            return found
    return None


def find_date(text: str, *, compact: bool = False) -> date | None:
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            found = _to_date(match)
            if found is not None:
                return found
    if compact:
        for match in COMPACT.finditer(text):
            found = _to_date(match)
            if found is not None:
                return found
    return None


def _to_date(match: re.Match) -> date | None:
    parts = match.groupdict()
    year = int(parts["year"])
    if "a" in parts:
        a, b = int(parts["a"]), int(parts["b"])
        if a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            month, day = a, b
        else:
            return None
    else:
        if parts.get("month_name"):
            month = MONTHS[parts["month_name"].lower()]
        else:
            month = int(parts["month"])
        day = int(parts["day"])
    try:
        return date(year, month, day)
    except ValueError:
        return None

"""How a running reflection tells people where it is: the phase in words, the time it has
been running. The engine writes the phases where they happen; the page reads them."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

QUEUED = "queued — waiting for a worker"
ONE_CALL = "reading every document in one call"
ANALYSING = "analysing the documents (offline)"
SYNTHESISING = "synthesising the parts into one answer"
VERIFYING = "verifying quotes against the documents"


def reading_part(number: int, total: int) -> str:
    return f"reading part {number} of {total}"


def elapsed_text(seconds: float) -> str:
    """ "42 s", "1 min 05 s", "2 h 03 min": moves every second shown, never "0 minutes"."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {seconds:02d} s"
    return f"{seconds} s"


def running_for(started_at: datetime | None, *, now: datetime | None = None) -> str:
    if started_at is None:
        return ""
    return elapsed_text(((now or timezone.now()) - started_at).total_seconds())

"""Scheduled reflections: when each one runs next, starting the due ones, and what changed.

Times are computed in settings.TIME_ZONE, so "daily at 08:00" stays at 08:00 local time across
daylight-saving changes. A local time that does not exist (the spring-forward gap) runs at the
same wall-clock distance after the gap; a local time that happens twice runs at the first.

A document counts as *added* at the moment it became usable: when its extraction finished
(`extracted_at`), or when it was created if it has no extraction time. "Only what is new" takes
the collection's ready documents added after the previous run started and up to this run, so
a file still extracting when one run starts belongs to the next run instead of being lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Document, Reflection, Schedule
from .reflections.asking import ReflectionError, create_reflection

log = logging.getLogger(__name__)

# An expression that matches nothing within this many days never runs (e.g. 30 February).
CRON_SEARCH_DAYS = 5 * 366
_MONTHS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]
_WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
WEEKDAY_NAMES = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]


class ScheduleError(ValueError):
    """A schedule cannot run as written; the message is for the person."""


# --- Cadence maths ------------------------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _at(day: date, at: time, zone: ZoneInfo) -> datetime:
    # fold=0: an ambiguous time is its first occurrence; a missing one lands after the gap.
    return datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone).astimezone(
        ZoneInfo("UTC")
    )


def _time_of_day(schedule: Schedule) -> time:
    value = schedule.time_of_day
    return time.fromisoformat(value) if isinstance(value, str) else value


def next_run_after(schedule: Schedule, after: datetime) -> datetime:
    """The first moment strictly after `after` at which `schedule` runs (aware, UTC)."""
    zone = _zone()
    today = after.astimezone(zone).date()
    if schedule.cadence == Schedule.Cadence.CRON:
        return CronExpression.parse(schedule.cron).next_after(after, zone)
    at = _time_of_day(schedule)
    if schedule.cadence == Schedule.Cadence.DAILY:
        step, first = 1, today
    elif schedule.cadence == Schedule.Cadence.WEEKLY:
        step, first = (
            7,
            today + timedelta(days=(schedule.weekday - today.weekday()) % 7),
        )
    else:
        raise ScheduleError(f"unknown cadence {schedule.cadence!r}")
    candidate = _at(first, at, zone)
    while candidate <= after:
        first += timedelta(days=step)
        candidate = _at(first, at, zone)
    return candidate


@dataclass(frozen=True)
class CronExpression:
    """Five cron fields: minute hour day-of-month month day-of-week.

    Each field is `*`, a number, a range `a-b`, a step `*/n` or `a-b/n`, or a comma list of
    those; months and weekdays also take three-letter names, weekday 0 and 7 are Sunday. As in
    cron, when both day-of-month and day-of-week are restricted a day matching either runs.
    A small parser of our own rather than celery's crontab: it gives one clear error per field
    and answers "next run after this moment" in the configured zone, which crontab (built for
    beat's own "is it due now") does not.
    """

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # Monday is 0, as datetime.weekday()
    days_restricted: bool
    weekdays_restricted: bool

    @classmethod
    def parse(cls, text: str) -> CronExpression:
        fields = (text or "").split()
        if len(fields) != 5:
            raise ScheduleError(
                "a cron expression has five fields: minute hour day-of-month month day-of-week"
            )
        minute, hour, day, month, weekday = fields
        cron_weekdays = _field(weekday, "day of week", 0, 7, _WEEKDAYS)
        return cls(
            minutes=_field(minute, "minute", 0, 59),
            hours=_field(hour, "hour", 0, 23),
            days=_field(day, "day of month", 1, 31),
            months=_field(month, "month", 1, 12, _MONTHS, first_name=1),
            weekdays=frozenset((d - 1) % 7 for d in cron_weekdays),
            days_restricted=day != "*",
            weekdays_restricted=weekday != "*",
        )

    def runs_on(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        by_day, by_weekday = day.day in self.days, day.weekday() in self.weekdays
        if self.days_restricted and self.weekdays_restricted:
            return by_day or by_weekday
        return by_day and by_weekday

    def next_after(self, after: datetime, zone: ZoneInfo) -> datetime:
        start = after.astimezone(zone).date()
        for offset in range(CRON_SEARCH_DAYS):
            day = start + timedelta(days=offset)
            if not self.runs_on(day):
                continue
            for hour in sorted(self.hours):
                for minute in sorted(self.minutes):
                    candidate = _at(day, time(hour, minute), zone)
                    if candidate > after:
                        return candidate
        raise ScheduleError("this cron expression never matches a real date")


def _field(
    text: str,
    label: str,
    low: int,
    high: int,
    names: list[str] | None = None,
    first_name: int = 0,
) -> frozenset[int]:
    values: set[int] = set()
    for part in text.lower().split(","):
        span, _, step_text = part.partition("/")
        step = _number(step_text, label, names=None, first_name=0) if step_text else 1
        if step < 1:
            raise ScheduleError(f"{label}: the step must be at least 1")
        if span == "*":
            start, end = low, high
        elif "-" in span:
            a, _, b = span.partition("-")
            start, end = (
                _number(a, label, names, first_name),
                _number(b, label, names, first_name),
            )
        else:
            start = _number(span, label, names, first_name)
            end = high if step_text else start
        if not (low <= start <= high and low <= end <= high):
            raise ScheduleError(f"{label}: {part!r} is outside {low}–{high}")
        if start > end:
            raise ScheduleError(f"{label}: the range {part!r} runs backwards")
        values.update(range(start, end + 1, step))
    return frozenset(values)


def _number(text: str, label: str, names: list[str] | None, first_name: int) -> int:
    if text.isdigit():
        return int(text)
    if names and text in names:
        return names.index(text) + first_name
    raise ScheduleError(
        f"{label}: {text!r} is not a number" + (" or a name" if names else "")
    )


def validate_cron(text: str) -> None:
    """Raise ScheduleError unless `text` is a five-field expression that ever runs."""
    CronExpression.parse(text).next_after(timezone.now(), _zone())


# --- Saving -------------------------------------------------------------------------------------


def save_schedule(*, schedule: Schedule, now: datetime | None = None) -> Schedule:
    """Save a new or edited schedule with its next run computed from now (or None if paused)."""
    schedule.next_run_at = (
        next_run_after(schedule, now or timezone.now()) if schedule.enabled else None
    )
    schedule.save()
    return schedule


def set_enabled(
    *, schedule: Schedule, enabled: bool, now: datetime | None = None
) -> Schedule:
    """Pause or resume; resuming runs at the next occurrence, never to catch up missed ones."""
    schedule.enabled = enabled
    schedule.next_run_at = (
        next_run_after(schedule, now or timezone.now()) if enabled else None
    )
    schedule.save(update_fields=["enabled", "next_run_at"])
    return schedule


# --- Running ------------------------------------------------------------------------------------


def delete_schedule(*, schedule: Schedule) -> None:
    """Delete a schedule; its past runs stay, no longer linked to it."""
    schedule.delete()


def new_documents(
    *, schedule: Schedule, since: datetime | None, until: datetime
) -> QuerySet[Document]:
    """The collection's ready documents added after `since` (all if None) and up to `until`."""
    ready = Document.objects.filter(
        owner=schedule.owner_id,
        status=Document.Status.READY,
        collections=schedule.collection_id,
    ).annotate(added_at=Coalesce("extracted_at", "created_at"))
    window = Q(added_at__lte=until)
    if since is not None:
        window &= Q(added_at__gt=since)
    return ready.filter(window).order_by("id")


def _local(moment: datetime) -> str:
    local = moment.astimezone(_zone())
    return f"{local.day} {local:%b %H:%M}"


def start_run(*, schedule: Schedule, now: datetime) -> str:
    """Start one run of a claimed schedule, or say why it was skipped; returns the outcome."""
    unfinished = (
        schedule.runs.filter(
            status__in=[Reflection.Status.QUEUED, Reflection.Status.RUNNING]
        )
        .order_by("-id")
        .first()
    )
    if unfinished is not None:
        return f"skipped: run #{unfinished.pk} has not finished"
    if schedule.scope == Schedule.Scope.NEW:
        document_ids = list(
            new_documents(
                schedule=schedule, since=schedule.last_run_at, until=now
            ).values_list("pk", flat=True)
        )
        if not document_ids:
            since = (
                f"since {_local(schedule.last_run_at)}"
                if schedule.last_run_at
                else "yet"
            )
            return f"skipped: nothing new {since}"
        scope = {"document_ids": document_ids}
    else:
        if not new_documents(schedule=schedule, since=None, until=now).exists():
            return "skipped: the collection has no ready documents"
        scope = {"collection": schedule.collection}
    try:
        with transaction.atomic():
            reflection = create_reflection(
                owner=schedule.owner,
                question=schedule.question,
                preset=schedule.preset,
                effort=schedule.effort,
                schedule=schedule,
                # Nobody waits for a scheduled run: the flex tier's half price is the better deal.
                not_urgent=True,
                **scope,
            )
            Schedule.objects.filter(pk=schedule.pk).update(last_run_at=now)
    except ReflectionError as error:
        return f"not started: {error}"
    return f"started #{reflection.pk}"


def run_due_schedules(*, now: datetime | None = None) -> dict[int, str]:
    """Start every enabled schedule whose time has come; {schedule id: outcome}.

    Each schedule is claimed by moving `next_run_at` on with a conditional UPDATE on (pk, the
    value read), so of two beats ticking at once only one starts the run. A process dying
    between the claim and the start loses that one occurrence rather than running it twice.
    """
    now = now or timezone.now()
    outcomes: dict[int, str] = {}
    unset = Schedule.objects.filter(enabled=True, next_run_at__isnull=True)
    for schedule in unset.select_related("collection"):
        # Created outside the app (admin, shell): start from the next occurrence.
        Schedule.objects.filter(pk=schedule.pk, next_run_at__isnull=True).update(
            next_run_at=next_run_after(schedule, now)
        )
    due = Schedule.objects.filter(enabled=True, next_run_at__lte=now).select_related(
        "owner", "collection"
    )
    for schedule in due:
        try:
            following = next_run_after(schedule, now)
        except ScheduleError as error:
            following = None
            log.warning("schedule %s cannot run again: %s", schedule.pk, error)
        claimed = Schedule.objects.filter(
            pk=schedule.pk, enabled=True, next_run_at=schedule.next_run_at
        ).update(next_run_at=following, enabled=following is not None)
        if not claimed:
            continue
        outcome = start_run(schedule=schedule, now=now)
        Schedule.objects.filter(pk=schedule.pk).update(last_outcome=outcome[:300])
        log.info("schedule %s: %s", schedule.pk, outcome)
        outcomes[schedule.pk] = outcome
    return outcomes

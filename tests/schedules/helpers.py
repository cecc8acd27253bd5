"""Builders for schedule tests: a collection with documents and a schedule over it."""

from datetime import datetime
from zoneinfo import ZoneInfo

from reflect import schedules
from reflect.models import Collection, Schedule

from ..factories import make_document

UTC = ZoneInfo("UTC")


def at(text: str, zone: str = "UTC") -> datetime:
    """An aware datetime from 'YYYY-MM-DD HH:MM' in `zone`."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def make_collection(owner, name: str = "Team meetings") -> Collection:
    return Collection.objects.create(owner=owner, name=name)


def add_document(
    collection: Collection,
    title: str,
    text: str = "Alice: we ship on Friday.",
    **fields,
):
    document = make_document(
        collection.owner, title=title, text=f"{text} ({title})", **fields
    )
    collection.documents.add(document)
    return document


def make_schedule(collection: Collection, *, now: datetime, **fields) -> Schedule:
    fields.setdefault("cadence", Schedule.Cadence.DAILY)
    fields.setdefault("time_of_day", "08:00")
    schedule = Schedule(
        owner=collection.owner,
        collection=collection,
        question=fields.pop("question", "What is nobody paying attention to?"),
        **fields,
    )
    return schedules.save_schedule(schedule=schedule, now=now)

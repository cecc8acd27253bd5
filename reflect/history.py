"""Reading past reflections: search with filters, and comparing two runs of a question."""

from difflib import SequenceMatcher

from django.db.models import QuerySet
from django.utils import timezone

from . import search as full_text
from .models import Reflection, User


def search(*, owner: User, filters: dict) -> QuerySet[Reflection]:
    """The owner's reflections matching `filters` (q, status, collection, preset, since, until).

    `q` matches the question, the summary and the findings from the full-text index
    (reflect/search.py), best match first, with a `headline`; one query whatever the page size.
    """
    reflections = (
        Reflection.objects.filter(owner=owner)
        .select_related("collection")
        .defer("manifest", "snapshot", "estimate")
    )
    if filters.get("status"):
        reflections = reflections.filter(status=filters["status"])
    if filters.get("collection"):
        reflections = reflections.filter(collection=filters["collection"])
    if filters.get("preset"):
        reflections = reflections.filter(preset=filters["preset"])
    if filters.get("since"):
        reflections = reflections.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        reflections = reflections.filter(created_at__date__lte=filters["until"])
    if filters.get("q"):
        reflections = full_text.matching(reflections, q=filters["q"], owner_id=owner.pk)
    return reflections


def _quotes(finding: dict) -> set[str]:
    return {
        " ".join(e.get("quote", "").lower().split())
        for e in finding.get("evidence", [])
        if e.get("quote")
    }


def same_finding(a: dict, b: dict) -> bool:
    """Two findings are the same when they share evidence or their titles nearly match."""
    if _quotes(a) & _quotes(b):
        return True
    title_a, title_b = a.get("title", "").lower(), b.get("title", "").lower()
    return SequenceMatcher(None, title_a, title_b).ratio() >= 0.75


def compare(*, earlier: Reflection, later: Reflection) -> dict:
    """Findings of `later` sorted into new and still there, and those of `earlier` now gone."""
    before = list((earlier.result or {}).get("findings", []))
    after = list((later.result or {}).get("findings", []))
    matched_before: set[int] = set()
    new, kept = [], []
    for finding in after:
        match = next(
            (
                i
                for i, old in enumerate(before)
                if i not in matched_before and same_finding(old, finding)
            ),
            None,
        )
        if match is None:
            new.append(finding)
        else:
            matched_before.add(match)
            kept.append({"now": finding, "before": before[match]})
    gone = [old for i, old in enumerate(before) if i not in matched_before]
    return {"new": new, "still_there": kept, "gone": gone}


def change_line(comparison: dict) -> str:
    """One line saying what changed, for a notification."""
    return (
        f"{len(comparison['new'])} new, {len(comparison['still_there'])} still there, "
        f"{len(comparison['gone'])} gone"
    )


# --- What changed since a scheduled run's previous run ---------------------------------


def previous_run(reflection: Reflection) -> Reflection | None:
    """The latest succeeded run of the same schedule before `reflection`."""
    if reflection.schedule_id is None:
        return None
    return (
        Reflection.objects.filter(
            schedule_id=reflection.schedule_id,
            status=Reflection.Status.SUCCEEDED,
            pk__lt=reflection.pk,
        )
        .order_by("-pk")
        .first()
    )


def change_message(*, reflection: Reflection) -> str | None:
    """The one-line notification of a finished scheduled run: what changed since the previous.

    None for a failed run or one that is not scheduled (the ordinary message applies).
    """
    if (
        reflection.schedule_id is None
        or reflection.status != Reflection.Status.SUCCEEDED
    ):
        return None
    question = (
        reflection.question
        if len(reflection.question) <= 100
        else reflection.question[:99] + "…"
    )
    earlier = previous_run(reflection)
    if earlier is None:
        count = len((reflection.result or {}).get("findings", []))
        return f"Scheduled reflection ready (first run, {count} finding{'s' if count != 1 else ''}): {question}"
    comparison = compare(earlier=earlier, later=reflection)
    since = timezone.localtime(earlier.created_at)
    return f"{change_line(comparison)} since {since.day} {since:%b}: {question}"

"""Beat ticks start due schedules: an ordinary reflection linked to its schedule, skipped (not
failed) when nothing new arrived or the previous run is unfinished, never twice at once."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from reflect import schedules
from reflect.models import Reflection, Schedule
from reflect.schedules import run_due_schedules

from ..factories import make_user
from .helpers import add_document, at, make_collection, make_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection(db):
    return make_collection(make_user())


def test_a_due_schedule_starts_a_reflection_linked_to_it(collection):
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        document = add_document(collection, "Standup 14 Nov")
        schedule = make_schedule(collection, now=at("2026-11-14 12:00"), effort="low")
    assert schedule.next_run_at == at("2026-11-15 08:00")

    with time_machine.travel(at("2026-11-15 07:59"), tick=False):
        assert run_due_schedules() == {}
    with time_machine.travel(at("2026-11-15 08:00:30"), tick=False):
        outcomes = run_due_schedules()

    run = Reflection.objects.get(schedule=schedule)
    assert outcomes == {schedule.pk: f"started #{run.pk}"}
    assert run.collection == collection and run.owner == collection.owner
    assert run.document_ids == [document.pk]
    assert (run.question, run.effort, run.status) == (
        schedule.question,
        "low",
        Reflection.Status.QUEUED,
    )
    schedule.refresh_from_db()
    assert schedule.last_run_at == at("2026-11-15 08:00:30")
    assert schedule.next_run_at == at("2026-11-16 08:00")
    assert schedule.last_outcome == f"started #{run.pk}"


def test_nothing_new_is_skipped_and_the_next_run_moves_on(collection):
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        add_document(collection, "Standup 14 Nov")
        schedule = make_schedule(collection, now=at("2026-11-14 12:00"))
    with time_machine.travel(at("2026-11-15 08:00"), tick=False):
        run_due_schedules()
    Reflection.objects.filter(schedule=schedule).update(
        status=Reflection.Status.SUCCEEDED
    )

    with time_machine.travel(at("2026-11-16 08:00"), tick=False):
        outcomes = run_due_schedules()

    assert outcomes == {schedule.pk: "skipped: nothing new since 15 Nov 08:00"}
    assert schedule.runs.count() == 1
    schedule.refresh_from_db()
    assert schedule.next_run_at == at("2026-11-17 08:00")
    assert schedule.last_run_at == at("2026-11-15 08:00"), (
        "a skip is not a run: 'new' still counts from the last one"
    )
    assert schedule.last_outcome.startswith("skipped:")


def test_only_documents_added_since_the_last_run_by_default(collection):
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        old = add_document(collection, "Standup 14 Nov")
        schedule = make_schedule(collection, now=at("2026-11-14 12:00"))
    with time_machine.travel(at("2026-11-15 08:00"), tick=False):
        run_due_schedules()
    first = schedule.runs.get()
    first.status = Reflection.Status.SUCCEEDED
    first.save()
    with time_machine.travel(at("2026-11-15 17:00"), tick=False):
        new = add_document(collection, "Standup 15 Nov")
        # Uploaded before the first run but still extracting then: it counts as added when ready.
        late = add_document(
            collection, "Retro 14 Nov", extracted_at=at("2026-11-15 09:00")
        )
        late.created_at = at("2026-11-14 18:00")
        late.save(update_fields=["created_at"])

    with time_machine.travel(at("2026-11-16 08:00"), tick=False):
        run_due_schedules()

    second = schedule.runs.exclude(pk=first.pk).get()
    assert first.document_ids == [old.pk]
    assert sorted(second.document_ids) == sorted([new.pk, late.pk])


def test_scope_all_asks_of_every_ready_document(collection):
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        documents = [
            add_document(collection, "Standup 14 Nov"),
            add_document(collection, "Retro"),
        ]
        schedule = make_schedule(
            collection, now=at("2026-11-14 12:00"), scope=Schedule.Scope.ALL
        )
    for day in ("2026-11-15 08:00", "2026-11-16 08:00"):
        with time_machine.travel(at(day), tick=False):
            run_due_schedules()
        Reflection.objects.filter(schedule=schedule).update(
            status=Reflection.Status.SUCCEEDED
        )

    runs = list(schedule.runs.order_by("id"))
    assert len(runs) == 2, "nothing new, but scope 'all' asks again"
    assert all(
        sorted(run.document_ids) == sorted(d.pk for d in documents) for run in runs
    )


def test_no_second_run_while_the_previous_one_is_unfinished(collection):
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        add_document(collection, "Standup 14 Nov")
        schedule = make_schedule(
            collection, now=at("2026-11-14 12:00"), scope=Schedule.Scope.ALL
        )
    with time_machine.travel(at("2026-11-15 08:00"), tick=False):
        run_due_schedules()
    first = schedule.runs.get()
    Reflection.objects.filter(pk=first.pk).update(status=Reflection.Status.RUNNING)

    with time_machine.travel(at("2026-11-16 08:00"), tick=False):
        outcomes = run_due_schedules()

    assert outcomes == {schedule.pk: f"skipped: run #{first.pk} has not finished"}
    assert schedule.runs.count() == 1
    schedule.refresh_from_db()
    assert schedule.next_run_at == at("2026-11-17 08:00")


def test_paused_schedules_do_not_run(collection):
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        add_document(collection, "Standup 14 Nov")
        schedule = make_schedule(collection, now=at("2026-11-14 12:00"), enabled=False)
    assert schedule.next_run_at is None
    with time_machine.travel(at("2026-11-20 08:00"), tick=False):
        assert run_due_schedules() == {}
    assert not schedule.runs.exists()


def test_an_empty_collection_is_skipped_not_failed(collection):
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        schedule = make_schedule(collection, now=at("2026-11-14 12:00"))
    with time_machine.travel(at("2026-11-15 08:00"), tick=False):
        assert run_due_schedules() == {schedule.pk: "skipped: nothing new yet"}
    assert not Reflection.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_start_one_run(collection, monkeypatch):
    """Two beats (threads with their own database connections) both read the same due schedule
    before either claims it; exactly one starts the run."""
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        add_document(collection, "Standup 14 Nov")
        schedule = make_schedule(collection, now=at("2026-11-14 12:00"))
    barrier = threading.Barrier(2, timeout=10)
    outcomes, errors = [], []
    next_run_after = schedules.next_run_after

    def both_have_read_the_due_list(*args):
        # Called by each tick between reading what is due and claiming it.
        barrier.wait()
        return next_run_after(*args)

    monkeypatch.setattr(schedules, "next_run_after", both_have_read_the_due_list)

    def tick():
        try:
            outcomes.append(
                run_due_schedules(now=at("2026-11-15 08:00") + timedelta(seconds=1))
            )
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert not errors, errors
    assert schedule.runs.count() == 1
    assert sorted(len(o) for o in outcomes) == [0, 1], outcomes

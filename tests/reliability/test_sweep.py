"""The sweep releases work whose worker is gone and re-sends work whose message was lost,
never robs a live worker, and does each thing once however many sweeps run."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from reflect import liveness
from reflect.models import Document, Notification, Reflection
from reflect.reflections.lifecycle import retry_reflection
from reflect.sweeps import sweep_stale_work
from tests.factories import make_document, make_reflection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_liveness")]
RUN = "reflect.tasks.run_reflection"
EXTRACT = "reflect.tasks.extract_document"


def running(person, *, claimed_by="worker-host:123:deadbeef", seconds_ago=5, **fields):
    document = make_document(person, title=f"Notes of {claimed_by}")
    return make_reflection(
        person,
        status=Reflection.Status.RUNNING,
        documents=[document],
        claimed_by=claimed_by,
        heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago),
        phase="part 2 of 3",
        **{"attempts": 1, **fields},
    )


def sweep(capture):
    with capture(execute=True):
        return sweep_stale_work()


def test_a_dead_workers_reflection_is_released_and_sent_again(
    person, queued_tasks, django_capture_on_commit_callbacks
):
    reflection = running(person)  # its claim key was never set: that process is gone

    report = sweep(django_capture_on_commit_callbacks)

    reflection.refresh_from_db()
    assert report.released == [reflection.pk]
    assert reflection.status == Reflection.Status.QUEUED and reflection.claimed_by == ""
    assert reflection.manifest["workers_lost"] == 1
    assert queued_tasks() == [(RUN, [reflection.pk])]


def test_a_live_claim_and_a_fresh_claim_are_left_alone(
    person, queued_tasks, django_capture_on_commit_callbacks
):
    live = running(person, claimed_by="host:1:live")
    fresh = running(
        person, claimed_by="host:2:fresh", seconds_ago=0
    )  # younger than the grace

    with liveness.claim_heartbeat("host:1:live"):
        report = sweep(django_capture_on_commit_callbacks)

    assert report.released == []
    assert set(
        Reflection.objects.filter(pk__in=[live.pk, fresh.pk]).values_list(
            "status", flat=True
        )
    ) == {Reflection.Status.RUNNING}
    assert queued_tasks() == []


def test_a_claim_silent_past_the_stale_limit_is_released_even_with_a_key(
    person, settings, queued_tasks, django_capture_on_commit_callbacks
):
    settings.REFLECT_CLAIM_STALE_SECONDS = 60
    hung = running(person, claimed_by="host:3:hung", seconds_ago=61)

    with liveness.claim_heartbeat("host:3:hung"):
        report = sweep(django_capture_on_commit_callbacks)

    assert report.released == [hung.pk]


def test_no_claim_is_judged_dead_while_redis_is_younger_than_a_key_lifetime(
    person, settings, queued_tasks, django_capture_on_commit_callbacks
):
    """After a Redis restart every key is gone until the refreshers put them back."""
    settings.REFLECT_LIVENESS_TTL_SECONDS = 10**9  # longer than this Redis has been up
    reflection = running(person)

    report = sweep(django_capture_on_commit_callbacks)

    reflection.refresh_from_db()
    assert report.released == [] and reflection.status == Reflection.Status.RUNNING


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_release_and_send_once(person, queued_tasks):
    reflection = running(person)
    reports, start = [], threading.Barrier(2)

    def beat():
        try:
            start.wait(5)
            reports.append(sweep_stale_work())
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(len(r.released) for r in reports) == [0, 1]
    assert queued_tasks() == [(RUN, [reflection.pk])]
    # And again later: nothing left to do, nothing sent.
    assert not any(vars(sweep_stale_work()).values())
    assert len(queued_tasks()) == 1


def test_a_reflection_whose_worker_keeps_dying_fails_with_a_retry(
    person, settings, queued_tasks, django_capture_on_commit_callbacks
):
    settings.REFLECT_SWEEP_MAX_ATTEMPTS = 3
    # Two workers were lost before; many task retries after transient errors do not count.
    reflection = running(person, manifest={"workers_lost": 2}, attempts=7)

    report = sweep(django_capture_on_commit_callbacks)

    reflection.refresh_from_db()
    assert report.failed == [reflection.pk]
    assert reflection.status == Reflection.Status.FAILED
    assert reflection.error_kind == Reflection.ErrorKind.RETRYABLE
    assert "stopped 3 times" in reflection.error
    assert Notification.objects.get(reflection=reflection).status == "failed"
    assert queued_tasks() == []
    assert (
        retry_reflection(reflection=reflection, enqueue=False).status
        == Reflection.Status.QUEUED
    )


def test_a_queued_reflection_whose_message_was_lost_is_sent_again_once_per_window(
    person, settings, queued_tasks, django_capture_on_commit_callbacks
):
    settings.REFLECT_REQUEUE_AFTER_SECONDS = 60
    lost = make_reflection(person, status=Reflection.Status.QUEUED)
    recent = make_reflection(person, status=Reflection.Status.QUEUED)
    Reflection.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - timedelta(seconds=61)
    )

    first = sweep(django_capture_on_commit_callbacks)
    second = sweep(django_capture_on_commit_callbacks)

    assert first.resent == [lost.pk] and second.resent == []
    assert queued_tasks() == [(RUN, [lost.pk])]
    assert Reflection.objects.get(pk=recent.pk).status == Reflection.Status.QUEUED


def test_a_retry_is_not_sent_again_before_the_servers_retry_after(
    person, settings, queued_tasks, django_capture_on_commit_callbacks
):
    settings.REFLECT_REQUEUE_AFTER_SECONDS = 60
    settings.REFLECT_RETRY_BACKOFF_MAX_SECONDS = 100
    released = timezone.now() - timedelta(seconds=60 + 101)
    waiting = make_reflection(
        person,
        status=Reflection.Status.QUEUED,
        phase="waiting to retry",
        heartbeat_at=released,
        manifest={"retry_after": 3600},
    )
    overdue = make_reflection(
        person,
        status=Reflection.Status.QUEUED,
        phase="waiting to retry",
        heartbeat_at=released,
        manifest={"retry_after": 30},
    )

    report = sweep(django_capture_on_commit_callbacks)

    assert report.resent == [overdue.pk]
    assert queued_tasks() == [(RUN, [overdue.pk])]
    assert waiting.pk not in report.resent


def test_documents_stuck_before_extraction_are_sent_again_then_failed(
    person, settings, queued_tasks, django_capture_on_commit_callbacks
):
    settings.REFLECT_REQUEUE_AFTER_SECONDS = 60
    settings.REFLECT_EXTRACTION_GIVE_UP_SECONDS = 3600
    now = timezone.now()
    lost = make_document(person, title="Lost", status=Document.Status.PENDING)
    dead = make_document(person, title="Dead", status=Document.Status.EXTRACTING)
    hopeless = make_document(
        person, title="Hopeless", status=Document.Status.EXTRACTING
    )
    fresh = make_document(person, title="Fresh", status=Document.Status.PENDING)
    Document.objects.filter(pk__in=[lost.pk, dead.pk]).update(
        created_at=now - timedelta(seconds=61)
    )
    Document.objects.filter(pk=hopeless.pk).update(
        created_at=now - timedelta(seconds=3601)
    )

    report = sweep(django_capture_on_commit_callbacks)

    assert sorted(report.documents_resent) == sorted([lost.pk, dead.pk])
    assert sorted(queued_tasks()) == sorted(
        [(EXTRACT, [lost.pk]), (EXTRACT, [dead.pk])]
    )
    assert report.documents_failed == [hopeless.pk]
    hopeless.refresh_from_db()
    assert (
        hopeless.status == Document.Status.FAILED and "did not finish" in hopeless.error
    )
    assert Document.objects.get(pk=fresh.pk).status == Document.Status.PENDING

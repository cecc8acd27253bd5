"""A finished scheduled run is notified in one line saying what changed since the previous
run of the same schedule (new, still there, gone), through the real model client."""

import pytest
import time_machine

from reflect.models import Notification, Reflection, Schedule
from reflect.notifications import notify
from reflect.reflections.running import run_reflection
from reflect.schedules import run_due_schedules
from tests.reasoning.helpers import (
    MEETING_1,
    MEETING_2,
    good_result,
    transcript_segments,
)
from tests.stub_openai import StubOpenAI, answer

from ..factories import make_document, make_reflection, make_user
from .helpers import at, make_collection, make_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def stub_openai(settings):
    with StubOpenAI() as stub:
        settings.OPENAI_BASE_URL = stub.base_url
        settings.OPENAI_API_KEY = "sk-test-secret-key-0123456789"
        settings.REFLECT_PROVIDER = ""
        settings.REFLECT_API_STYLE = "chat"
        settings.REFLECT_BACKEND_PROFILE = "openai"
        settings.REFLECT_REQUEST_TIMEOUT = 10.0
        yield stub


@pytest.fixture
def meetings(db):
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        collection = make_collection(make_user())
        documents = [
            make_document(
                collection.owner,
                title=title,
                text=text,
                segments=transcript_segments(text),
            )
            for title, text in (("Kick-off", MEETING_1), ("Week two", MEETING_2))
        ]
    collection.documents.add(*documents)
    return collection, documents


def later_result(first_id: int, second_id: int) -> dict:
    """Payment testing is still there, the contract is gone and the launch delay is new."""
    result = good_result(first_id, second_id)
    result["findings"][1] = {
        "title": "Launch slipped a month because of the vendor",
        "kind": "change",
        "confidence": "high",
        "observation": "March became April.",
        "why_it_matters": "Nobody re-planned the dependent work.",
        "evidence": [
            {
                "document_id": second_id,
                "quote": "The launch moved to April because of the vendor.",
            }
        ],
    }
    return result


def test_the_second_run_says_what_changed_since_the_first(stub_openai, meetings):
    collection, (first, second) = meetings
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        schedule = make_schedule(
            collection,
            now=at("2026-11-14 12:00"),
            scope=Schedule.Scope.ALL,
            question="What is slipping?",
        )
    stub_openai.script(
        answer(good_result(first.pk, second.pk)),
        answer(later_result(first.pk, second.pk)),
    )

    with time_machine.travel(at("2026-11-15 08:00"), tick=False):
        run_due_schedules()
    earlier = run_reflection(reflection_id=schedule.runs.get().pk)
    with time_machine.travel(at("2026-11-16 08:00"), tick=False):
        run_due_schedules()
    later = run_reflection(reflection_id=schedule.runs.exclude(pk=earlier.pk).get().pk)

    assert (earlier.status, later.status) == (
        Reflection.Status.SUCCEEDED,
        Reflection.Status.SUCCEEDED,
    )
    assert Notification.objects.get(reflection=earlier).message == (
        "Scheduled reflection ready (first run, 2 findings): What is slipping?"
    )
    message = Notification.objects.get(reflection=later).message
    assert message == "1 new, 1 still there, 1 gone since 15 Nov: What is slipping?"
    assert "\n" not in message


def test_the_comparison_skips_failed_runs_and_ignores_other_schedules(meetings):
    collection, (first, second) = meetings
    owner = collection.owner
    schedule = make_schedule(collection, now=at("2026-11-14 12:00"))
    other = make_schedule(collection, now=at("2026-11-14 12:00"))
    with time_machine.travel(at("2026-11-15 08:00"), tick=False):
        make_reflection(
            owner, schedule=schedule, result=good_result(first.pk, second.pk)
        )
    with time_machine.travel(at("2026-11-16 08:00"), tick=False):
        make_reflection(owner, schedule=schedule, status="failed")
        make_reflection(owner, schedule=other, result=later_result(first.pk, second.pk))
        latest = make_reflection(
            owner, schedule=schedule, result=good_result(first.pk, second.pk)
        )

    assert notify(reflection=latest).message.startswith(
        "0 new, 2 still there, 0 gone since 15 Nov: "
    )


def test_failed_and_unscheduled_runs_keep_the_ordinary_message(meetings):
    collection, _ = meetings
    schedule = make_schedule(collection, now=at("2026-11-14 12:00"))
    failed = make_reflection(
        collection.owner, schedule=schedule, status="failed", question="Q?"
    )
    plain = make_reflection(collection.owner, question="Q?")

    assert notify(reflection=failed).message == "Reflection failed: Q?"
    assert notify(reflection=plain).message == "Reflection ready: Q?"

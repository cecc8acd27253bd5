"""A reflection is claimed with a conditional UPDATE: running its task twice (a redelivered
message) gives one result, one charge and one notification."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reflect.models import Notification, Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from reflect.tasks import run_reflection as run_reflection_task
from tests.stub_openai import answer

from .helpers import closing_connection, good_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def reflection(owner, meetings):
    return create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )


def test_running_the_task_twice_gives_one_result_and_one_notification(
    stub_openai, reflection, meetings
):
    stub_openai.default = answer(good_result(meetings[0].pk, meetings[1].pk))

    run_reflection_task.apply(args=[reflection.pk])
    run_reflection_task.apply(args=[reflection.pk])

    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.SUCCEEDED
    assert reflection.attempts == 1
    assert len(stub_openai.requests) == 1
    assert reflection.usage["input_tokens"] == 1000
    assert Notification.objects.filter(reflection=reflection).count() == 1


def test_a_reflection_running_elsewhere_is_left_alone(stub_openai, reflection):
    Reflection.objects.filter(pk=reflection.pk).update(
        status=Reflection.Status.RUNNING,
        claimed_by="other-worker",
        heartbeat_at=timezone.now(),
    )

    assert run_reflection(reflection_id=reflection.pk) is None

    reflection.refresh_from_db()
    assert reflection.claimed_by == "other-worker"
    assert stub_openai.requests == []


def test_a_stale_claim_is_taken_over(stub_openai, settings, reflection, meetings):
    stub_openai.default = answer(good_result(meetings[0].pk, meetings[1].pk))
    stale = timezone.now() - timedelta(seconds=settings.REFLECT_CLAIM_STALE_SECONDS + 1)
    Reflection.objects.filter(pk=reflection.pk).update(
        status=Reflection.Status.RUNNING,
        claimed_by="dead-worker",
        heartbeat_at=stale,
        attempts=1,
    )

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED
    assert finished.attempts == 2 and finished.claimed_by != "dead-worker"


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_lost_its_claim_cannot_save(stub_openai, reflection, meetings):
    def taken_over_meanwhile(request):
        # Another worker takes the reflection while this one waits for the model.
        with closing_connection():
            Reflection.objects.filter(pk=reflection.pk).update(claimed_by="new-worker")
        return answer(good_result(meetings[0].pk, meetings[1].pk))(request)

    stub_openai.script(taken_over_meanwhile)

    assert run_reflection(reflection_id=reflection.pk) is None

    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.RUNNING
    assert reflection.result is None
    assert not Notification.objects.filter(reflection=reflection).exists()
    # The call was made and billed all the same: it is counted.
    assert reflection.usage["input_tokens"] == 1000


def test_a_finished_reflection_is_never_run_again(stub_openai, reflection):
    Reflection.objects.filter(pk=reflection.pk).update(status=Reflection.Status.FAILED)

    assert run_reflection(reflection_id=reflection.pk) is None
    assert stub_openai.requests == []

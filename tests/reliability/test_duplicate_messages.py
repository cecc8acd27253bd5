"""Duplicate queue messages (a sweep re-sent a message that was not lost after all, or Redis
redelivered one) are harmless: the claim is a conditional UPDATE, so one run does the work."""

import pytest

from reflect.dispatch import RUN_REFLECTION, send
from reflect.models import Notification, Reflection
from reflect.reflections.asking import create_reflection
from tests.conftest import TEST_QUEUE
from tests.factories import make_document
from tests.reasoning.helpers import (
    MEETING_1,
    MEETING_2,
    good_result,
    transcript_segments,
)
from tests.stub_openai import answer
from tests.workers import wait_for

from .conftest import worker_env

pytestmark = [pytest.mark.worker]


@pytest.mark.django_db(transaction=True)
def test_three_messages_for_one_reflection_make_one_model_call(
    stub_openai, start_worker, person, redis_client
):
    documents = [
        make_document(
            person, title=title, text=text, segments=transcript_segments(text)
        )
        for title, text in (("Kick-off", MEETING_1), ("Week two", MEETING_2))
    ]
    # Slow enough that the copies arrive while the first is still running.
    stub_openai.default = answer(
        good_result(documents[0].pk, documents[1].pk), delay=1.0
    )
    worker = start_worker(env=worker_env(stub_openai), concurrency=2)
    reflection = create_reflection(
        owner=person,
        preset="blind_spots",
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )

    for _ in range(3):
        assert send(RUN_REFLECTION, reflection.pk)

    def finished():
        row = Reflection.objects.get(pk=reflection.pk)
        return row if row.is_finished else None

    done = wait_for(
        finished, timeout=30, message=f"the reflection to finish\n{worker.log()}"
    )
    wait_for(
        lambda: redis_client.llen(TEST_QUEUE) == 0,
        timeout=10,
        message="every copy delivered",
    )
    wait_for(
        lambda: worker.log().count("succeeded in") >= 3,
        timeout=10,
        message=f"every copy handled\n{worker.log()}",
    )
    assert done.status == Reflection.Status.SUCCEEDED, done.error
    assert len(stub_openai.requests) == 1
    assert done.attempts == 1
    assert Notification.objects.filter(reflection=done).count() == 1

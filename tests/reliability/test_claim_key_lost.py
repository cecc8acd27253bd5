"""A claim key that vanishes under a live worker (eviction, FLUSHDB, a partition) does not
make the reflection run twice: the worker's database heartbeat is the second opinion, so
neither the sweep nor a duplicate message takes the claim over, and the model is paid once."""

import threading
import time

import pytest

from reflect import dispatch, liveness
from reflect.models import Notification, Reflection
from reflect.reflections.asking import create_reflection
from reflect.sweeps import sweep_stale_work
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

pytestmark = [
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.usefixtures("fast_liveness"),
]


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_whose_claim_key_is_deleted_keeps_its_reflection(
    stub_openai, start_worker, person, redis_client
):
    documents = [
        make_document(
            person, title=title, text=text, segments=transcript_segments(text)
        )
        for title, text in (("Kick-off", MEETING_1), ("Week two", MEETING_2))
    ]
    asked, release = threading.Event(), threading.Event()
    reply = answer(good_result(documents[0].pk, documents[1].pk))

    def slow_answer(request):
        asked.set()
        release.wait(30)
        return reply(request)

    stub_openai.default = slow_answer
    # Two slots, so a duplicate message would find a free one to run the reflection again.
    worker = start_worker(env=worker_env(stub_openai), concurrency=2)
    reflection = create_reflection(
        owner=person,
        preset="blind_spots",
        document_ids=[d.pk for d in documents],
    )
    try:
        assert asked.wait(30), f"the model was never asked\n{worker.log()}"
        holder = Reflection.objects.get(pk=reflection.pk).claimed_by
        # Longer than the grace: with only its key to go by, the claim would look dead.
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            redis_client.delete(liveness.CLAIM_PREFIX + holder)
            assert reflection.pk not in sweep_stale_work().released
            assert dispatch.send(dispatch.RUN_REFLECTION, reflection.pk)
            time.sleep(0.3)
    finally:
        release.set()

    def finished():
        row = Reflection.objects.get(pk=reflection.pk)
        return row if row.is_finished else None

    done = wait_for(finished, timeout=30, message=f"the finish\n{worker.log()}")
    assert done.status == Reflection.Status.SUCCEEDED, done.error
    assert done.claimed_by == holder and done.attempts == 1
    assert len(stub_openai.requests) == 1
    assert Notification.objects.filter(reflection=done).count() == 1

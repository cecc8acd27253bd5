"""A worker SIGKILLed while OpenAI computes a background response (real worker processes,
real Redis, the stub model): the response id was saved before the wait, so the worker that
takes the reflection over retrieves that response instead of sending the request again. The
model is asked exactly once and the run finishes once."""

import threading

import pytest

from reflect.models import Notification, Reflection
from reflect.reflections.asking import create_reflection
from reflect.sweeps import sweep_stale_work
from tests.factories import make_document
from tests.reasoning.helpers import cited_answer, long_transcript
from tests.workers import wait_for

from .conftest import worker_env

pytestmark = [
    pytest.mark.worker,
    pytest.mark.slow,
    pytest.mark.usefixtures("fast_liveness"),
]


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_s_background_response_is_retrieved_not_asked_again(
    stub_openai, start_worker, person
):
    documents = [
        make_document(person, title=f"Meeting {n}", text=long_transcript(f"m{n}", 10))
        for n in range(2)
    ]
    computing = threading.Event()
    stub_openai.script(stub_openai.background(cited_answer(documents), hold=computing))
    env = worker_env(
        stub_openai,
        REFLECT_API_STYLE="responses",
        REFLECT_BACKEND_PROFILE="openai",
        REFLECT_BACKGROUND_POLL_SECONDS="0.1",
    )
    first = start_worker(env=env)
    reflection = create_reflection(
        owner=person, preset="dropped_actions", document_ids=[d.pk for d in documents]
    )

    def polling_a_saved_response():
        row = Reflection.objects.get(pk=reflection.pk)
        return row.background_responses and stub_openai.background_calls("GET")

    try:
        wait_for(
            polling_a_saved_response,
            timeout=30,
            message=f"the worker to save the response id and poll it\n{first.log()}",
        )
        (response_id,) = stub_openai.stored
        saved = Reflection.objects.get(pk=reflection.pk).background_responses
        assert list(saved.values()) == [response_id]
        first.kill()
        polls_before = stub_openai.stored[response_id].retrieves
        computing.set()  # the response finished while no worker was watching
        second = start_worker(env=env)
        wait_for(
            lambda: reflection.pk in sweep_stale_work().released,
            timeout=20,
            interval=0.5,
            message="the sweep to release the dead claim",
        )

        def finished():
            row = Reflection.objects.get(pk=reflection.pk)
            return row if row.is_finished else None

        done = wait_for(
            finished, timeout=60, message=f"the reflection to finish\n{second.log()}"
        )
    finally:
        computing.set()

    assert done.status == Reflection.Status.SUCCEEDED, done.error
    assert done.attempts == 2
    assert len(stub_openai.creates) == 1, "the model was asked again"
    assert stub_openai.stored[response_id].retrieves > polls_before
    assert Notification.objects.filter(reflection=done).count() == 1
    assert all(e["verified"] for f in done.result["findings"] for e in f["evidence"])
    # The answer is saved: no id is left, and the provider was told to delete it.
    assert done.background_responses == {}
    assert [r.path for r in stub_openai.background_calls("DELETE")] == [
        f"/v1/responses/{response_id}"
    ]

"""Background mode (Responses style on OpenAI): each call is a background response whose id
is saved before waiting; the run polls it to the end; a resumed run re-attaches to the saved
response instead of paying for a new one; cancelling cancels it remotely."""

import json
import threading
import time

import pytest

from reflect.models import Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.claims import RetryLater
from reflect.reflections.lifecycle import cancel_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer, usage

from .helpers import good_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def background(settings, stub_openai):
    settings.REFLECT_API_STYLE = "responses"
    settings.REFLECT_BACKGROUND_POLL_SECONDS = 0.01
    return stub_openai


def reflection_of(owner, meetings) -> Reflection:
    return create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )


def test_a_call_is_a_background_response_polled_until_it_finishes(
    background, owner, meetings
):
    background.script(
        background.background(
            answer(good_result(meetings[0].pk, meetings[1].pk)), polls=3
        )
    )

    done = run_reflection(reflection_id=reflection_of(owner, meetings).pk)

    assert done.status == "succeeded", done.error
    (create,) = background.creates
    assert create.body["background"] is True and create.body["store"] is True
    (response_id,) = background.stored
    assert len(background.background_calls("GET")) == 4
    assert done.manifest["calls"][0]["response_id"] == response_id
    # The answer is kept: nothing is left to re-attach to, nor stored at the provider.
    assert done.background_responses == {}
    assert [r.path for r in background.background_calls("DELETE")] == [
        f"/v1/responses/{response_id}"
    ]


def test_a_resumed_run_retrieves_the_saved_response_instead_of_asking_again(
    background, settings, owner, meetings
):
    still_computing = threading.Event()
    background.script(
        background.background(
            answer(good_result(meetings[0].pk, meetings[1].pk)), hold=still_computing
        )
    )
    # The first attempt stops waiting (as a killed worker or a time limit would).
    settings.REFLECT_REQUEST_TIMEOUT = 0.2
    reflection = reflection_of(owner, meetings)
    with pytest.raises(RetryLater):
        run_reflection(reflection_id=reflection.pk, final_attempt=False)
    reflection.refresh_from_db()
    (response_id,) = background.stored
    assert list(reflection.background_responses.values()) == [response_id]

    still_computing.set()
    done = run_reflection(reflection_id=reflection.pk)

    assert done.status == "succeeded", done.error
    assert len(background.creates) == 1
    assert done.attempts == 2
    assert background.stored[response_id].retrieves >= 2


def test_a_saved_response_gone_at_the_provider_is_asked_again(
    background, settings, owner, meetings
):
    respond = answer(good_result(meetings[0].pk, meetings[1].pk))
    background.script(
        background.background(respond, hold=threading.Event()),
        background.background(respond),
    )
    settings.REFLECT_REQUEST_TIMEOUT = 0.2
    reflection = reflection_of(owner, meetings)
    with pytest.raises(RetryLater):
        run_reflection(reflection_id=reflection.pk, final_attempt=False)
    (expired,) = background.stored
    del background.stored[expired]  # the provider no longer knows it: 404

    done = run_reflection(reflection_id=reflection.pk)

    assert done.status == "succeeded", done.error
    assert len(background.creates) == 2


def test_cancelling_cancels_the_response_still_computing(
    background, settings, owner, meetings
):
    background.script(
        background.background(
            answer(good_result(meetings[0].pk, meetings[1].pk)),
            hold=threading.Event(),
        )
    )
    settings.REFLECT_REQUEST_TIMEOUT = 0.2
    reflection = reflection_of(owner, meetings)
    with pytest.raises(RetryLater):
        run_reflection(reflection_id=reflection.pk, final_attempt=False)
    (response_id,) = background.stored

    assert cancel_reflection(reflection=reflection)

    cancels = background.background_calls("POST", cancel=True)
    assert [r.path for r in cancels] == [f"/v1/responses/{response_id}/cancel"]
    assert background.stored[response_id].cancelled
    reflection.refresh_from_db()
    assert reflection.background_responses == {}


def test_other_styles_and_servers_never_ask_for_background(
    stub_openai, settings, owner, meetings
):
    result = good_result(meetings[0].pk, meetings[1].pk)
    stub_openai.script(answer(result), answer(result), answer(result))

    run_reflection(reflection_id=reflection_of(owner, meetings).pk)
    settings.REFLECT_API_STYLE = "responses"
    settings.REFLECT_BACKEND_PROFILE = "vllm"
    run_reflection(reflection_id=reflection_of(owner, meetings).pk)
    settings.REFLECT_BACKEND_PROFILE = "openai"
    settings.REFLECT_BACKGROUND = False
    run_reflection(reflection_id=reflection_of(owner, meetings).pk)

    assert [b.get("background") for b in stub_openai.bodies] == [None] * 3
    assert [b.get("store") for b in stub_openai.bodies] == [None, False, False]


def test_a_response_lost_while_polled_is_asked_again_through_the_same_api(
    background, settings, owner, meetings
):
    """A 404 on a retrieve means that response is gone, not that there is no Responses
    API: the run asks again later, still as a background response."""
    respond = answer(good_result(meetings[0].pk, meetings[1].pk))
    background.script(
        background.background(respond, hold=threading.Event()),
        background.background(respond),
    )
    settings.REFLECT_REQUEST_TIMEOUT = 10
    reflection = reflection_of(owner, meetings)

    def lose_it():
        while not background.stored:
            time.sleep(0.01)
        background.stored.pop(next(iter(background.stored)))

    losing = threading.Thread(target=lose_it)
    losing.start()
    with pytest.raises(RetryLater):
        run_reflection(reflection_id=reflection.pk, final_attempt=False)
    losing.join()
    reflection.refresh_from_db()
    assert reflection.background_responses == {}

    done = run_reflection(reflection_id=reflection.pk)

    assert done.status == "succeeded", done.error
    assert [c.body.get("background") for c in background.creates] == [True, True]


def test_a_run_that_gives_up_cancels_the_response_still_computing(
    background, settings, owner, meetings
):
    background.script(
        background.background(
            answer(good_result(meetings[0].pk, meetings[1].pk)),
            hold=threading.Event(),
        )
    )
    settings.REFLECT_REQUEST_TIMEOUT = 0.2
    reflection = reflection_of(owner, meetings)

    done = run_reflection(reflection_id=reflection.pk, final_attempt=True)

    assert done.status == "failed"
    (response_id,) = background.stored
    cancels = background.background_calls("POST", cancel=True)
    assert [r.path for r in cancels] == [f"/v1/responses/{response_id}/cancel"]
    assert done.background_responses == {}


def test_a_resumed_answer_that_ignored_the_schema_is_asked_again_not_read_again(
    background, settings, owner, meetings
):
    """The saved response re-attached to is prose: the plain-JSON request that follows is
    a new response, and the prose is billed once."""
    still_computing = threading.Event()
    background.script(
        background.background(
            answer("Some thoughts: the launch slipped.", usage_=usage(800, 40)),
            hold=still_computing,
        ),
        background.background(
            answer(
                json.dumps(good_result(meetings[0].pk, meetings[1].pk)),
                usage_=usage(900, 300),
            )
        ),
    )
    settings.REFLECT_REQUEST_TIMEOUT = 0.2
    reflection = reflection_of(owner, meetings)
    with pytest.raises(RetryLater):
        run_reflection(reflection_id=reflection.pk, final_attempt=False)
    still_computing.set()
    settings.REFLECT_REQUEST_TIMEOUT = 10

    done = run_reflection(reflection_id=reflection.pk)

    assert done.status == "succeeded", done.error
    assert len(background.creates) == 2
    assert done.usage["input_tokens"] == 1700 and done.usage["output_tokens"] == 340

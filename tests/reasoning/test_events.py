"""Workers publish reflection events on the owner's Redis channel as the run moves on."""

import json
import time

import pytest

from reflect.events import channel_for
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer

from .helpers import good_result

pytestmark = pytest.mark.django_db


def test_progress_and_the_end_are_published(
    stub_openai, owner, meetings, redis_client, django_capture_on_commit_callbacks
):
    subscription = redis_client.pubsub(ignore_subscribe_messages=True)
    subscription.subscribe(channel_for(owner.pk))
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    with django_capture_on_commit_callbacks(execute=True):
        run_reflection(reflection_id=reflection.pk)

    events = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (
        not events or events[-1]["status"] != "succeeded"
    ):
        message = subscription.get_message(timeout=0.2)
        if message:
            events.append(json.loads(message["data"]))
    subscription.close()
    assert {e["type"] for e in events} == {"reflection"}
    assert {e["id"] for e in events} == {reflection.pk}
    assert events[0]["status"] == "running"
    assert "reading every document in one call" in [e["phase"] for e in events]
    assert events[-1] == {
        "type": "reflection",
        "id": reflection.pk,
        "question": reflection.question,
        "status": "succeeded",
        "phase": "",
        "parts_done": 1,
        "parts_total": 1,
    }

"""The engine writes each phase where it happens, in words a person reads: reading part i
of n, synthesising, verifying quotes; a single call is not "part 1 of 1"."""

import json
import time

import pytest

from reflect import progress
from reflect.events import channel_for
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.factories import make_document
from tests.stub_openai import answer

from .helpers import cited_answer, good_result, long_transcript

pytestmark = pytest.mark.django_db


def phases_published(redis_client, owner, run) -> list[str]:
    """The phases of the reflection events the run publishes, in order, without repeats."""
    subscription = redis_client.pubsub(ignore_subscribe_messages=True)
    subscription.subscribe(channel_for(owner.pk))
    run()
    events, deadline = [], time.monotonic() + 5
    while time.monotonic() < deadline and (
        not events or events[-1]["status"] != "succeeded"
    ):
        message = subscription.get_message(timeout=0.2)
        if message:
            events.append(json.loads(message["data"]))
    subscription.close()
    phases = []
    for event in events:
        if event["phase"] and (not phases or phases[-1] != event["phase"]):
            phases.append(event["phase"])
    return phases


def test_a_map_reduce_run_reads_each_part_then_synthesises_then_verifies(
    stub_openai, settings, owner, redis_client, django_capture_on_commit_callbacks
):
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 2_000
    settings.REFLECT_CONTEXT_TOKENS = 2_000 + 900 + 2_600
    documents = [
        make_document(owner, title=f"Meeting {n}", text=long_transcript(f"m{n}", 80))
        for n in range(3)
    ]
    stub_openai.default = cited_answer(documents)
    reflection = create_reflection(
        owner=owner,
        question="What was dropped?",
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )
    parts = reflection.estimate["parts"]
    assert parts >= 3

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            run_reflection(reflection_id=reflection.pk)

    phases = phases_published(redis_client, owner, run)

    assert phases == [
        "preparing",
        *[f"reading part {n} of {parts}" for n in range(1, parts + 1)],
        progress.SYNTHESISING,
        progress.VERIFYING,
    ]
    assert progress.SYNTHESISING.startswith("synthesising")
    assert progress.VERIFYING.startswith("verifying quotes")


def test_a_single_call_says_it_reads_every_document_at_once(
    stub_openai, owner, meetings, redis_client, django_capture_on_commit_callbacks
):
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            run_reflection(reflection_id=reflection.pk)

    phases = phases_published(redis_client, owner, run)

    assert phases == ["preparing", progress.ONE_CALL, progress.VERIFYING]
    assert not any("part 1 of 1" in phase for phase in phases)

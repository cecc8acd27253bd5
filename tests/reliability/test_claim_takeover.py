"""A redelivered or re-sent task takes over a reflection whose worker died (its claim key is
gone), without waiting for the sweep; a claim whose process is alive is never taken."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reflect import liveness
from reflect.models import Notification, Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.factories import make_document
from tests.reasoning.helpers import (
    MEETING_1,
    MEETING_2,
    good_result,
    transcript_segments,
)
from tests.stub_openai import answer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_liveness")]


@pytest.fixture
def claimed(person, stub_openai):
    """A reflection claimed 5 s ago by `host:9:gone`, whose answer the stub has ready."""
    documents = [
        make_document(
            person, title=title, text=text, segments=transcript_segments(text)
        )
        for title, text in (("Kick-off", MEETING_1), ("Week two", MEETING_2))
    ]
    stub_openai.default = answer(good_result(documents[0].pk, documents[1].pk))
    reflection = create_reflection(
        owner=person,
        preset="blind_spots",
        enqueue=False,
        document_ids=[d.pk for d in documents],
    )
    Reflection.objects.filter(pk=reflection.pk).update(
        status=Reflection.Status.RUNNING,
        claimed_by="host:9:gone",
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(seconds=5),
    )
    return reflection


def test_a_dead_workers_claim_is_taken_over(claimed, stub_openai):
    finished = run_reflection(reflection_id=claimed.pk)

    assert finished.status == Reflection.Status.SUCCEEDED
    assert finished.attempts == 2 and finished.claimed_by != "host:9:gone"
    assert len(stub_openai.requests) == 1
    assert Notification.objects.filter(reflection=finished).count() == 1


def test_a_live_workers_claim_is_not_taken(claimed, stub_openai):
    with liveness.claim_heartbeat("host:9:gone"):  # the process is alive after all
        assert run_reflection(reflection_id=claimed.pk) is None

    claimed.refresh_from_db()
    assert (
        claimed.status == Reflection.Status.RUNNING
        and claimed.claimed_by == "host:9:gone"
    )
    assert stub_openai.requests == []

"""A reflection can be cancelled while queued or running; a running worker stops before its
next model call and saves nothing."""

import pytest

from reflect.models import Notification, Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.lifecycle import cancel_reflection, retry_reflection
from reflect.reflections.running import run_reflection
from tests.factories import make_document
from tests.stub_openai import answer

from .helpers import cited_answer, closing_connection, good_result, long_transcript


def test_a_cancelled_queued_reflection_never_calls_the_model(
    stub_openai, owner, meetings, db
):
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    assert cancel_reflection(reflection=reflection) is True
    assert run_reflection(reflection_id=reflection.pk) is None

    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.CANCELLED
    assert reflection.finished_at is not None
    assert stub_openai.requests == []


@pytest.mark.django_db(transaction=True)
def test_cancelling_while_running_stops_before_the_next_call(
    stub_openai, settings, owner
):
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 2_000
    settings.REFLECT_CONTEXT_TOKENS = 2_000 + 900 + 2_600
    documents = [
        make_document(
            owner, title=f"Meeting {n}", text=long_transcript(f"meeting {n}", 80)
        )
        for n in range(3)
    ]
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )
    assert reflection.estimate["parts"] >= 3
    respond = cited_answer(documents)

    def cancel_during_first_part(request):
        with closing_connection():
            cancel_reflection(reflection=Reflection.objects.get(pk=reflection.pk))
        return respond(request)

    stub_openai.script(cancel_during_first_part)

    assert run_reflection(reflection_id=reflection.pk) is None

    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.CANCELLED
    assert reflection.result is None
    assert len(stub_openai.requests) == 1
    assert (
        reflection.usage["input_tokens"] == 1000
    )  # the call that was made is still counted
    assert not Notification.objects.filter(reflection=reflection).exists()


@pytest.mark.django_db
def test_finished_reflections_cannot_be_cancelled_but_can_be_retried(
    stub_openai, owner, meetings
):
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    cancel_reflection(reflection=reflection)

    retry_reflection(reflection=reflection, enqueue=False)
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED
    assert cancel_reflection(reflection=finished) is False
    assert (
        Reflection.objects.get(pk=reflection.pk).status == Reflection.Status.SUCCEEDED
    )


def test_a_reflection_cancelled_while_its_quotes_are_verified_ends_cancelled(
    stub_openai, owner, meetings, monkeypatch
):
    """The final write is conditional on the claim: a cancel during verification wins, and
    no result is saved and nobody is notified."""
    from reflect.reflections import engine

    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    verify = engine.citations.verify_result

    def cancel_then_verify(result, sources):
        cancel_reflection(reflection=Reflection.objects.get(pk=reflection.pk))
        return verify(result, sources)

    monkeypatch.setattr(engine.citations, "verify_result", cancel_then_verify)

    assert run_reflection(reflection_id=reflection.pk) is None

    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.CANCELLED
    assert reflection.result is None
    assert not Notification.objects.filter(reflection=reflection).exists()

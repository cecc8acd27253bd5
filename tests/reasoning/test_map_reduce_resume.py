"""A corpus larger than the context is read in parts; finished parts are kept, so a retry
after a failed part resumes without paying for the finished ones again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reflect.models import Reflection, ReflectionPart
from reflect.reflections.asking import create_reflection
from reflect.reflections.claims import RetryLater
from reflect.reflections.running import run_reflection
from tests.factories import make_document
from tests.stub_openai import error

from .helpers import (
    cited_answer,
    corpus_text,
    is_map_request,
    is_reduce_request,
    long_transcript,
    transcript_segments,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_context(settings, stub_openai):
    """A model whose context holds about one of the documents below at a time."""
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 2_000
    settings.REFLECT_CONTEXT_TOKENS = 2_000 + 900 + 2_600
    settings.REFLECT_MAP_MODEL = "gpt-5.6-mini"
    settings.REFLECT_SDK_MAX_RETRIES = 0


def test_resumes_after_a_failed_part_without_repeating_finished_parts(
    stub_openai, small_context, owner
):
    documents = [
        make_document(
            owner, title=f"Meeting {n}", text=long_transcript(f"meeting {n}", 80)
        )
        for n in range(3)
    ]
    responder = cited_answer(documents)
    stub_openai.script(responder, error(500, "upstream failed", type_="server_error"))
    stub_openai.default = responder
    reflection = create_reflection(
        owner=owner,
        preset="dropped_actions",
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )
    assert reflection.estimate["mode"] == "map_reduce"
    parts = reflection.estimate["parts"]
    assert parts >= 3

    with pytest.raises(RetryLater):
        run_reflection(reflection_id=reflection.pk, final_attempt=False)
    assert ReflectionPart.objects.filter(reflection=reflection).count() == 1
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.QUEUED
    finished = run_reflection(reflection_id=reflection.pk, final_attempt=False)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    bodies = stub_openai.bodies
    maps = [b for b in bodies if is_map_request(b)]
    # parts + 1 failed attempt of part 2, then one reduce; part 1 was never asked again.
    assert len(maps) == parts + 1
    assert len(bodies) == parts + 2 and is_reduce_request(bodies[-1])
    corpora = [corpus_text(b) for b in maps]
    assert corpora.count(corpora[0]) == 1
    assert corpora[1] == corpora[2]
    assert {b["model"] for b in maps} == {"gpt-5.6-mini"}
    assert bodies[-1]["model"] == "gpt-5.6"
    assert finished.parts_done == finished.parts_total == parts
    # Every map part and the reduce answer are kept.
    assert ReflectionPart.objects.filter(reflection=reflection).count() == parts + 1
    reused = [c for c in finished.manifest["calls"] if c.get("reused")]
    assert [c["index"] for c in reused] == [1]
    # Usage counts every billed call once: parts, the reduce call (the failed call billed nothing).
    assert finished.usage["input_tokens"] == 1000 * (parts + 1)


def test_manifest_says_which_segments_went_into_which_call(
    stub_openai, small_context, owner
):
    text = long_transcript("long", 200)
    document = make_document(
        owner, title="Long meeting", text=text, segments=transcript_segments(text)
    )
    stub_openai.default = cited_answer([document])
    reflection = create_reflection(
        owner=owner,
        question="What was agreed?",
        document_ids=[document.pk],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    plan = finished.manifest["plan"]
    assert len(plan) >= 2
    slices = [piece for batch in plan for piece in batch]
    assert all(s["document_id"] == document.pk and not s["whole"] for s in slices)
    # Contiguous character ranges that cover the whole text, cut between segments.
    assert slices[0]["chars"][0] == 0 and slices[-1]["chars"][1] == len(document.text)
    for before, after in zip(slices, slices[1:], strict=False):
        assert before["chars"][1] == after["chars"][0]
        assert document.text[after["chars"][0] - 1] == "\n"
        assert before["segments"][1] + 1 == after["segments"][0]
        assert before["to"]["line"] + 1 == after["from"]["line"]
    assert not any(s.get("cut_inside_segment") for s in slices)
    assert [c["step"] for c in finished.manifest["calls"]] == ["map"] * len(plan) + [
        "reduce"
    ]


def test_a_segment_longer_than_a_call_is_cut_at_line_breaks_and_noted(
    stub_openai, small_context, owner
):
    text = long_transcript("one block", 200)
    document = make_document(owner, title="One block", text=text)  # a single segment
    stub_openai.default = cited_answer([document])
    reflection = create_reflection(
        owner=owner,
        question="What was agreed?",
        document_ids=[document.pk],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    slices = [piece for batch in finished.manifest["plan"] for piece in batch]
    assert len(slices) >= 2 and all(s["cut_inside_segment"] for s in slices)
    assert "alone is longer than a call can carry" in finished.manifest["notes"][0]
    assert "".join(text[s["chars"][0] : s["chars"][1]] for s in slices) == text


class WorkerDied(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs, no handler catches it."""


@pytest.mark.parametrize("corpus", ["single", "map_reduce"])
def test_an_answer_is_never_paid_twice_when_the_worker_dies_after_it_arrived(
    stub_openai, settings, owner, monkeypatch, corpus
):
    """The single or reduce answer is saved before it is used; the run resumed after the
    worker died reuses it, so the model is asked once per call in all."""
    from reflect.reflections import engine

    if corpus == "map_reduce":
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
        preset="dropped_actions",
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )
    assert reflection.estimate["mode"] == corpus
    stub_openai.default = cited_answer(documents)
    verify = engine.citations.verify_result

    def die(result, sources):
        raise WorkerDied

    monkeypatch.setattr(engine.citations, "verify_result", die)
    with pytest.raises(WorkerDied):
        run_reflection(reflection_id=reflection.pk, worker="host:1:killed")
    asked = len(stub_openai.requests)
    # The dead worker's claim is taken over (its key is gone and its heartbeat is old).
    Reflection.objects.filter(pk=reflection.pk).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    monkeypatch.setattr(engine.citations, "verify_result", verify)

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    assert len(stub_openai.requests) == asked
    assert asked == reflection.estimate["calls"]
    assert finished.manifest["calls"][-1]["reused"] is True

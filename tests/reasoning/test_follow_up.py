"""A follow-up asks of the same snapshot, with the earlier findings as context after the corpus."""

import pytest

from reflect.reflections.asking import create_reflection, estimate_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer

from .helpers import good_result

pytestmark = pytest.mark.django_db


def test_the_follow_up_carries_the_earlier_findings_and_keeps_the_cached_prefix(
    stub_openai, owner, meetings
):
    result = good_result(meetings[0].pk, meetings[1].pk)
    stub_openai.script(answer(result), answer(result))
    parent = create_reflection(
        owner=owner,
        question="What is nobody paying attention to?",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    run_reflection(reflection_id=parent.pk)
    parent.refresh_from_db()
    earlier_title = parent.result["findings"][0]["title"]

    child = create_reflection(
        owner=owner, parent=parent, question="Who should own it?", enqueue=False
    )
    run_reflection(reflection_id=child.pk)

    child.refresh_from_db()
    assert child.status == "succeeded" and child.document_ids == parent.document_ids
    first, second = (request.raw for request in stub_openai.requests)
    question_at = second.index(b"Question: Who should own it?")
    assert earlier_title.encode() in second[question_at:], (
        "earlier findings come with the question"
    )
    assert earlier_title.encode() not in first
    first_prefix = first[: first.index(b"Question: ")]
    assert second[:question_at] == first_prefix, (
        "instructions and corpus stay byte-identical"
    )


def test_the_estimate_of_a_follow_up_counts_the_earlier_findings_it_will_send(
    stub_openai, owner, meetings
):
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    ids = [d.pk for d in meetings]
    parent = create_reflection(
        owner=owner,
        question="What is nobody paying attention to?",
        document_ids=ids,
        enqueue=False,
    )
    run_reflection(reflection_id=parent.pk)
    parent.refresh_from_db()

    plain = estimate_reflection(
        owner=owner, question="Who should own it?", document_ids=ids
    )
    follow_up = estimate_reflection(
        owner=owner, question="Who should own it?", parent=parent
    )

    assert follow_up["input_tokens"] > plain["input_tokens"]

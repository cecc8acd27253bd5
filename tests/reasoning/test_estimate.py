"""Before a run: exact input tokens of what will be sent, ranges for the rest, cost range."""

import pytest

from reflect.reasoning.token_counts import count_tokens
from reflect.reflections.asking import create_reflection, estimate_reflection
from reflect.reflections.running import run_reflection
from tests.factories import make_document
from tests.stub_openai import answer

from .helpers import cited_answer, corpus_text, good_result, long_transcript

pytestmark = pytest.mark.django_db


def sent_tokens(body: dict) -> int:
    developer, user = body["messages"]
    question = user["content"][-1]["text"]
    return (
        count_tokens(developer["content"])
        + count_tokens(corpus_text(body))
        + count_tokens(question)
    )


def test_single_call_estimate_counts_exactly_what_is_sent(stub_openai, owner, meetings):
    estimate = estimate_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        effort="high",
    )
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        effort="high",
        enqueue=False,
    )
    run_reflection(reflection_id=reflection.pk)

    assert reflection.estimate == estimate
    assert (
        estimate["mode"] == "single"
        and estimate["parts"] == 1
        and estimate["calls"] == 1
    )
    assert estimate["model"] == "gpt-5.6"
    # Chat formatting adds a few tokens per request beyond the texts themselves.
    assert estimate["input_tokens"] == sent_tokens(stub_openai.bodies[0]) + 32
    low, high = estimate["output_tokens"]
    assert 0 < low < high <= 25_000
    assert estimate["reasoning_tokens"][0] < estimate["reasoning_tokens"][1] <= high
    assert 0 < estimate["cost_usd"][0] < estimate["cost_usd"][1]


def test_map_reduce_estimate_names_the_parts(stub_openai, settings, owner):
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 2_000
    settings.REFLECT_CONTEXT_TOKENS = 2_000 + 900 + 2_600
    settings.REFLECT_MAP_MODEL = "gpt-5.6-mini"
    documents = [
        make_document(owner, title=f"M{n}", text=long_transcript(f"m{n}", 80))
        for n in range(3)
    ]
    stub_openai.default = cited_answer(documents)

    estimate = estimate_reflection(
        owner=owner, question="What slipped?", document_ids=[d.pk for d in documents]
    )
    reflection = create_reflection(
        owner=owner,
        question="What slipped?",
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )
    run_reflection(reflection_id=reflection.pk)

    assert estimate["mode"] == "map_reduce" and estimate["map_model"] == "gpt-5.6-mini"
    assert estimate["calls"] == estimate["parts"] + 1 == len(stub_openai.requests)
    maps = stub_openai.bodies[:-1]
    assert estimate["input_tokens"] == sum(sent_tokens(b) + 32 for b in maps)
    low, high = estimate["reduce_input_tokens"]
    assert low < high


def test_every_call_stays_within_the_context(stub_openai, settings, owner):
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 2_000
    settings.REFLECT_CONTEXT_TOKENS = 6_000
    documents = [
        make_document(owner, title=f"M{n}", text=long_transcript(f"m{n}", 60 + 30 * n))
        for n in range(4)
    ]
    stub_openai.default = cited_answer(documents)
    reflection = create_reflection(
        owner=owner,
        question="What slipped?",
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )

    run_reflection(reflection_id=reflection.pk)

    for body in stub_openai.bodies[:-1]:
        assert sent_tokens(body) + 32 + 2_000 <= 6_000

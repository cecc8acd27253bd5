"""An estimate's ranges never end below where they start, and an unpriced model is named."""

import pytest

from reflect.reasoning.estimates import output_range
from reflect.reflections.asking import estimate_reflection
from tests.factories import make_document

from .helpers import long_transcript

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("effort", ["low", "medium", "high"])
@pytest.mark.parametrize("step", ["single", "map", "reduce"])
@pytest.mark.parametrize("budget", [500, 2_000, 4_000, 25_000])
def test_one_calls_ranges_are_ordered_and_within_the_budget(effort, step, budget):
    out = output_range(step, effort=effort, output_reserve=budget)

    assert out["reasoning_low"] <= out["reasoning_high"] <= out["total_high"] <= budget
    assert out["reasoning_low"] <= out["total_low"] <= out["total_high"]


def map_reduce_estimate(settings, owner, *, map_model="gpt-5.6-mini"):
    # A small output budget: below the visible output a map or reduce call may write.
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 2_000
    settings.REFLECT_CONTEXT_TOKENS = 2_000 + 900 + 2_600
    settings.REFLECT_MAP_MODEL = map_model
    # The synthesis model has a price here, whoever serves it.
    settings.REFLECT_PRICES = {"gpt-5.6": {"input": 5.0, "output": 30.0}}
    documents = [
        make_document(owner, title=f"M{n}", text=long_transcript(f"m{n}", 80))
        for n in range(3)
    ]
    return estimate_reflection(
        owner=owner,
        question="What slipped?",
        document_ids=[d.pk for d in documents],
        effort="high",
    )


def test_a_small_output_budget_gives_no_inverted_reasoning_range(
    stub_openai, settings, owner
):
    estimate = map_reduce_estimate(settings, owner)

    assert estimate["mode"] == "map_reduce"
    low, high = estimate["reasoning_tokens"]
    assert 0 < low <= high <= estimate["output_tokens"][1]


def test_the_estimate_names_the_model_without_a_price(stub_openai, settings, owner):
    estimate = map_reduce_estimate(settings, owner, map_model="local-mini")

    assert estimate["cost_usd"] is None
    assert estimate["unpriced_models"] == ["local-mini"]
    assert estimate["cost_note"] == "unknown — no price for model local-mini"

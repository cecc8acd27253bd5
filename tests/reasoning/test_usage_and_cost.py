"""Every call's tokens (input, cached, output, reasoning) are recorded and priced."""

from decimal import Decimal

import pytest

from reflect.models import Reflection
from reflect.reasoning.pricing import call_cost
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer, usage

from .helpers import good_result

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("style", ["chat", "responses"])
def test_usage_with_cached_and_reasoning_tokens_and_its_cost(
    stub_openai, settings, owner, meetings, style
):
    settings.REFLECT_API_STYLE = style
    settings.REFLECT_PRICES = (
        '{"gpt-5.6": {"input": 2.0, "cached_input": 0.2, "output": 10.0}}'
    )
    stub_openai.script(
        answer(
            good_result(meetings[0].pk, meetings[1].pk),
            usage_=usage(100_000, 8_000, cached_tokens=60_000, reasoning_tokens=6_000),
        )
    )
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.usage == {
        "input_tokens": 100_000,
        "cached_tokens": 60_000,
        "output_tokens": 8_000,
        "reasoning_tokens": 6_000,
    }
    # 40k uncached × $2 + 60k cached × $0.2 + 8k output (reasoning included) × $10, per 1M.
    assert finished.cost_usd == Decimal("0.080") + Decimal("0.012") + Decimal("0.080")
    assert finished.manifest["calls"][0]["usage"] == finished.usage


def test_missing_usage_details_count_as_zero(stub_openai, owner, meetings):
    stub_openai.script(
        answer(
            good_result(meetings[0].pk, meetings[1].pk),
            usage_=usage(5_000, 700, cached_tokens=None, reasoning_tokens=None),
        )
    )
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED
    assert finished.usage == {
        "input_tokens": 5_000,
        "cached_tokens": 0,
        "output_tokens": 700,
        "reasoning_tokens": 0,
    }


def test_a_server_without_usage_and_a_model_without_price(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_MODEL = settings.REFLECT_MAP_MODEL = "llama-3.3-70b"
    stub_openai.script(
        lambda request: _without_usage(
            answer(good_result(meetings[0].pk, meetings[1].pk))(request)
        )
    )
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED
    assert finished.usage == {
        "input_tokens": 0,
        "cached_tokens": 0,
        "output_tokens": 0,
        "reasoning_tokens": 0,
    }
    assert finished.cost_usd is None, "unknown, not $0"
    assert finished.manifest["unpriced_models"] == ["llama-3.3-70b"]
    assert finished.estimate["cost_usd"] is None


def test_a_local_server_with_an_openai_model_name_is_not_priced_as_openai(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_PRICES = ""  # the stub is on 127.0.0.1, not api.openai.com
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.model == "gpt-5.6" and finished.usage["input_tokens"] > 0
    assert finished.cost_usd is None
    assert finished.manifest["unpriced_models"] == ["gpt-5.6"]
    assert finished.estimate["cost_usd"] is None


def _without_usage(reply):
    reply.json_body.pop("usage")
    return reply


def test_long_prompts_cost_more_per_token_on_gpt_5_6():
    short = call_cost("gpt-5.6", {"input_tokens": 272_000, "output_tokens": 1_000})
    long = call_cost("gpt-5.6", {"input_tokens": 272_001, "output_tokens": 1_000})
    assert short == Decimal("272000") * 5 / 1_000_000 + Decimal("1000") * 30 / 1_000_000
    assert long == Decimal("272001") * 10 / 1_000_000 + Decimal("1000") * 45 / 1_000_000


def test_dated_snapshots_take_their_family_price():
    assert call_cost("gpt-5.6-2026-09-01", {"input_tokens": 100_000}) == Decimal("0.5")
    assert call_cost("my-local-model", {"input_tokens": 1_000_000}) is None

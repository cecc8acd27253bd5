"""No known price is None, never $0: OpenAI's prices apply only to calls that go to OpenAI."""

from decimal import Decimal

import pytest

from reflect.reasoning.pricing import call_cost, prices_for, unknown_cost_text

USAGE = {"input_tokens": 100_000, "output_tokens": 0}


@pytest.mark.parametrize("base_url", ["", "https://api.openai.com/v1"])
def test_openai_itself_is_priced_from_the_default_table(settings, base_url):
    settings.OPENAI_BASE_URL, settings.REFLECT_PRICES = base_url, ""

    assert call_cost("gpt-5.6", USAGE) == Decimal("0.5")


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8080/v1",
        "http://localhost:11434/v1",
        "https://api.openai.com.example.net/v1",
    ],
)
def test_a_model_served_elsewhere_has_no_price_even_with_an_openai_name(
    settings, base_url
):
    settings.OPENAI_BASE_URL, settings.REFLECT_PRICES = base_url, ""

    assert prices_for("gpt-5.6") is None
    assert call_cost("gpt-5.6", USAGE) is None


def test_a_model_served_elsewhere_is_priced_when_reflect_prices_names_it(settings):
    settings.OPENAI_BASE_URL = "http://127.0.0.1:8080/v1"
    settings.REFLECT_PRICES = '{"gpt-5.6": {"input": 0.1, "output": 0.2}}'

    assert call_cost("gpt-5.6", USAGE) == Decimal("0.01")
    assert call_cost("llama-3.3-70b", USAGE) is None


def test_the_unknown_text_names_the_models():
    assert unknown_cost_text(["llama-3.3"]) == "unknown — no price for model llama-3.3"
    assert unknown_cost_text(["a", "b", "a"]) == "unknown — no price for model a or b"

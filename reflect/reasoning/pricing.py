"""What a call costs, from a price table in USD per 1M tokens.

Reasoning tokens are part of the output tokens and billed as output; cached input tokens are
part of the input tokens and billed at the cached rate. Some models bill long prompts at a
higher rate (gpt-5.6: over 272k input tokens, 2× input and 1.5× output for the whole call).
Check the provider's price page: these defaults drift; `REFLECT_PRICES` overrides them.

The defaults are OpenAI's prices, so they apply only when calls go to OpenAI: a model served
from any other `OPENAI_BASE_URL` (a local llama.cpp, vLLM, a proxy) has no known price unless
`REFLECT_PRICES` names it, even when it is called "gpt-5.6". No known price is `None`, never 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_LONG = {
    "long_input_threshold": 272_000,
    "long_input_multiplier": 2,
    "long_output_multiplier": 1.5,
}
# OpenAI's flex tier (service_tiers.py) bills at Batch API rates: about half the standard.
FLEX_PRICE_FACTOR = Decimal("0.5")


def at_tier(cost: Decimal | None, service_tier: str) -> Decimal | None:
    """`cost` at the rate of `service_tier` ("flex": about half; None stays unknown)."""
    if cost is None or service_tier != "flex":
        return cost
    return (cost * FLEX_PRICE_FACTOR).quantize(Decimal("0.000001"))


DEFAULT_PRICES: dict[str, dict] = {
    "gpt-5.6": {"input": 5.0, "cached_input": 0.5, "output": 30.0, **_LONG},
    "gpt-5.6-mini": {"input": 0.5, "cached_input": 0.05, "output": 3.0},
    "gpt-5.5": {"input": 2.5, "cached_input": 0.25, "output": 15.0},
    "gpt-5.5-mini": {"input": 0.25, "cached_input": 0.025, "output": 2.0},
}
MILLION = Decimal(1_000_000)


OPENAI_HOST = "api.openai.com"


def served_by_openai() -> bool:
    """Whether model calls go to OpenAI itself (no base URL, or one on api.openai.com)."""
    base_url = (settings.OPENAI_BASE_URL or "").strip()
    return not base_url or urlsplit(base_url).hostname == OPENAI_HOST


def price_table() -> dict[str, dict]:
    """The prices that apply to this deployment's calls: OpenAI's defaults only for OpenAI."""
    defaults = DEFAULT_PRICES if served_by_openai() else {}
    table = {name: dict(prices) for name, prices in defaults.items()}
    raw = settings.REFLECT_PRICES
    if raw:
        try:
            override = json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError as exc:
            raise ImproperlyConfigured(
                f"REFLECT_PRICES is not valid JSON: {exc}"
            ) from None
        if not isinstance(override, dict):
            raise ImproperlyConfigured(
                "REFLECT_PRICES must be a JSON object of model → prices"
            )
        for name, prices in override.items():
            if (
                not isinstance(prices, dict)
                or "input" not in prices
                or "output" not in prices
            ):
                raise ImproperlyConfigured(
                    f"REFLECT_PRICES[{name!r}] needs input and output"
                )
            table[name] = {**table.get(name, {}), **prices}
    return table


def prices_for(model: str) -> dict | None:
    """Prices for `model`, or for the longest known name it starts with (dated snapshots);
    None when no price is known for it here."""
    table = price_table()
    if model in table:
        return table[model]
    matches = [name for name in table if model.startswith(name + "-")]
    return table[max(matches, key=len)] if matches else None


def call_cost(model: str, usage: dict) -> Decimal | None:
    """Cost of one call in USD, or None when the model has no price (e.g. a local model)."""
    prices = prices_for(model)
    if prices is None:
        return None
    input_tokens = usage.get("input_tokens", 0)
    cached = min(usage.get("cached_tokens", 0), input_tokens)
    output_tokens = usage.get("output_tokens", 0)
    input_rate = Decimal(str(prices["input"]))
    cached_rate = Decimal(str(prices.get("cached_input", prices["input"])))
    output_rate = Decimal(str(prices["output"]))
    threshold = prices.get("long_input_threshold")
    if threshold and input_tokens > threshold:
        input_factor = Decimal(str(prices.get("long_input_multiplier", 1)))
        input_rate *= input_factor
        cached_rate *= input_factor
        output_rate *= Decimal(str(prices.get("long_output_multiplier", 1)))
    cost = (
        Decimal(input_tokens - cached) * input_rate
        + Decimal(cached) * cached_rate
        + Decimal(output_tokens) * output_rate
    ) / MILLION
    return cost.quantize(Decimal("0.000001"))


def unknown_cost_text(models: Iterable[str]) -> str:
    """What a person reads instead of a cost when some model has no known price."""
    names = [name for name in dict.fromkeys(models) if name] or ["(unnamed)"]
    return f"unknown — no price for model {' or '.join(names)}"

"""The estimate as a person reads it: the offline label once, ranges that read low to high,
the map model named when it differs, and an honest "unknown" for a model without a price."""

import pytest

from reflect.reasoning.offline import LABEL
from reflect.reflections.estimate_text import rows, start_label

from ..factories import make_document
from .ask_page import page

OFFLINE = {
    "model": LABEL,
    "map_model": None,
    "mode": "offline",
    "parts": 1,
    "calls": 0,
    "documents": 3,
    "input_tokens": 0,
    "output_tokens": [0, 0],
    "reasoning_tokens": [0, 0],
    "cost_usd": [0.0, 0.0],
    "notes": [],
}
MAP_REDUCE = {
    "model": "gpt-5.6",
    "map_model": "gpt-5.6-mini",
    "mode": "map_reduce",
    "parts": 4,
    "calls": 5,
    "documents": 12,
    "input_tokens": 380_000,
    "reduce_input_tokens": [1_200, 12_400],
    "output_tokens": [10_400, 100_000],
    "reasoning_tokens": [8_000, 96_000],
    "cost_usd": [0.4512, 1.9],
    "unpriced_models": [],
    "notes": ["Split into 4 parts to fit the context."],
}


def text(estimate: dict) -> str:
    return "\n".join(f"{term}: {line}" for term, line in rows(estimate))


def test_the_offline_analyzer_is_named_once():
    assert text(OFFLINE).count("Offline analyzer") == 1
    assert "offline analyzer" not in text(OFFLINE)
    assert start_label(OFFLINE) == "Start (offline, free)"


@pytest.mark.django_db
def test_the_offline_form_names_the_analyzer_once(client, owner):
    document = make_document(owner)

    form = page(client, f"?documents={document.pk}&preset=risks")

    assert form.lower().count("offline analyzer") == 1


def test_map_reduce_names_the_model_of_the_parts_and_of_the_synthesis():
    assert "Model: gpt-5.6-mini reads the parts; gpt-5.6 writes the synthesis" in text(
        MAP_REDUCE
    )
    assert "map-reduce: 4 parts + a synthesis (5 calls) over 12 documents" in text(
        MAP_REDUCE
    )


def test_one_model_throughout_is_named_once():
    same = MAP_REDUCE | {"map_model": "gpt-5.6"}

    assert "Model: gpt-5.6\n" in text(same)


def test_ranges_read_low_to_high_with_thousands_marked():
    assert "Output: 10,400–100,000 tokens, of which reasoning 8,000–96,000 tokens" in (
        text(MAP_REDUCE)
    )
    assert "then the synthesis reads 1,200–12,400 tokens" in text(MAP_REDUCE)
    assert "Note: Split into 4 parts to fit the context." in text(MAP_REDUCE)


def test_the_cost_and_the_start_button_say_what_it_costs():
    assert "Cost: $0.45–$1.90" in text(MAP_REDUCE)
    assert start_label(MAP_REDUCE) == "Start — about $0.45–$1.90"
    assert start_label(MAP_REDUCE | {"cost_usd": [0.0042, 0.0042]}) == (
        "Start — about $0.0042"
    )


def test_a_model_without_a_price_is_unknown_not_free():
    unpriced = MAP_REDUCE | {"cost_usd": None, "unpriced_models": ["local-mini"]}

    assert "Cost: unknown — no price for model local-mini" in text(unpriced)
    assert start_label(unpriced) == "Start — cost unknown"

"""An estimate (asking.estimate_reflection) as a person reads it, and the Start button's label."""

from __future__ import annotations

from ..reasoning.pricing import unknown_cost_text

OFFLINE = "offline"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _tokens(low: int, high: int) -> str:
    return f"{low:,} tokens" if low == high else f"{low:,}–{high:,} tokens"


def usd(amount: float) -> str:
    """Dollars to two significant digits below a dollar ($0.0042, $0.04), cents above."""
    if amount >= 0.995 or amount == 0:
        return f"${amount:,.2f}"
    return f"${amount:.2g}"


def _cost_range(cost: list[float]) -> str:
    low, high = cost
    return usd(low) if usd(low) == usd(high) else f"{usd(low)}–{usd(high)}"


def _unpriced(estimate: dict) -> str:
    names = estimate.get("unpriced_models") or [
        name for name in (estimate.get("map_model"), estimate["model"]) if name
    ]
    return unknown_cost_text(names)


def _model(estimate: dict) -> str:
    model, map_model = estimate["model"], estimate.get("map_model")
    if estimate["mode"] == "map_reduce" and map_model and map_model != model:
        return f"{map_model} reads the parts; {model} writes the synthesis"
    return model


def _plan(estimate: dict) -> str:
    documents = _count(estimate["documents"], "document")
    if estimate["mode"] == OFFLINE:
        return f"runs on this server over {documents}, no tokens sent"
    if estimate["mode"] == "map_reduce":
        return (
            f"map-reduce: {_count(estimate['parts'], 'part')} + a synthesis "
            f"({estimate['calls']} calls) over {documents}"
        )
    return f"one call over {documents}"


def rows(estimate: dict) -> list[tuple[str, str]]:
    """(term, description) lines: model, plan, input, output, cost, then any notes."""
    lines = [("Model", _model(estimate)), ("Plan", _plan(estimate))]
    if estimate["mode"] != OFFLINE:
        reduce = estimate.get("reduce_input_tokens")
        lines.append(
            (
                "Input",
                f"{estimate['input_tokens']:,} tokens"
                + (f", then the synthesis reads {_tokens(*reduce)}" if reduce else ""),
            )
        )
        output, reasoning = estimate["output_tokens"], estimate["reasoning_tokens"]
        lines.append(
            ("Output", f"{_tokens(*output)}, of which reasoning {_tokens(*reasoning)}")
        )
        cost = estimate.get("cost_usd")
        lines.append(
            (
                "Cost",
                f"{_cost_range(cost)} (assumes no cached input; cached input is cheaper)"
                if cost
                else _unpriced(estimate),
            )
        )
    lines += [("Note", note) for note in estimate.get("notes", [])]
    return lines


def start_label(estimate: dict) -> str:
    """What the Start button says: what pressing it will cost."""
    if estimate["mode"] == OFFLINE:
        return "Start (offline, free)"
    cost = estimate.get("cost_usd")
    if not cost:
        return "Start — cost unknown"
    return f"Start — about {_cost_range(cost)}"

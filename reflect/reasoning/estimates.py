"""Tokens and cost of a plan before it runs: exact first-stage input, ranges for the rest."""

from __future__ import annotations

from reflect.reasoning.token_counts import count_tokens

from . import prompt as prompts
from .planning import MESSAGE_OVERHEAD, Plan
from .sources import SourceDocument

# Per call, by effort: (low, high) reasoning tokens and visible output tokens. Rough ranges
# from experience with reasoning models; the estimate says so.
REASONING_RANGE = {
    "low": (500, 4_000),
    "medium": (2_000, 12_000),
    "high": (6_000, 24_000),
}
OUTPUT_RANGE = {"single": (800, 5_000), "map": (400, 3_000), "reduce": (800, 5_000)}
CONSENSUS_NEEDS_ONE_CALL = (
    "Consensus applies to a corpus read in one call; this one is read in parts, so it "
    "is answered once."
)
# Tokens of notes one map part contributes to the reduce call.
NOTES_RANGE = (200, 3_000)


def plan_input_tokens(
    plan: Plan, documents: dict[int, SourceDocument], *, question: str
) -> list[int]:
    """Input tokens (o200k) of each first-stage call: one single call or the map calls."""
    instructions = (
        prompts.SINGLE_INSTRUCTIONS
        if plan.mode == "single"
        else prompts.MAP_INSTRUCTIONS
    )
    fixed = (
        count_tokens(instructions)
        + count_tokens(prompts.question_block(question))
        + MESSAGE_OVERHEAD
    )
    # The slices carry their counts (stored per document, counted per passage when split).
    return [fixed + sum(piece.tokens for piece in batch) for batch in plan.batches]


def _calls(
    plan: Plan,
    first_stage: list[int],
    *,
    question: str,
    model: str,
    map_model: str,
    consensus_samples: int = 0,
) -> list[tuple[str, int, int, str]]:
    """(model, input low, input high, step) of every call the plan makes."""
    if plan.mode == "single" and consensus_samples:
        # N answers of the map model, then the main model merges them by agreement.
        fixed = (
            count_tokens(prompts.MERGE_INSTRUCTIONS)
            + count_tokens(prompts.question_block(question))
            + MESSAGE_OVERHEAD
        )
        low, high = NOTES_RANGE
        n = consensus_samples
        samples = [(map_model, first_stage[0], first_stage[0], "single")] * n
        return [*samples, (model, fixed + low * n, fixed + high * n, "reduce")]
    if plan.mode == "single":
        return [(model, first_stage[0], first_stage[0], "single")]
    calls = [(map_model, tokens, tokens, "map") for tokens in first_stage]
    fixed = (
        count_tokens(prompts.REDUCE_INSTRUCTIONS)
        + count_tokens(prompts.question_block(question))
        + MESSAGE_OVERHEAD
    )
    low, high = NOTES_RANGE
    calls.append((model, fixed + low * plan.parts, fixed + high * plan.parts, "reduce"))
    return calls


def output_range(step: str, *, effort: str, output_reserve: int) -> dict[str, int]:
    """One call's output tokens (reasoning included) and reasoning tokens, low and high.

    Both are capped by the output budget. The high reasoning is at most the high total, so
    neither range can end below where it starts, however small the budget.
    """
    reasoning_low, reasoning_high = REASONING_RANGE[effort]
    visible_low, visible_high = OUTPUT_RANGE[step]
    total_low = min(visible_low + reasoning_low, output_reserve)
    total_high = min(visible_high + reasoning_high, output_reserve)
    return {
        "total_low": total_low,
        "total_high": total_high,
        "reasoning_low": min(reasoning_low, total_low),
        "reasoning_high": min(reasoning_high, total_high),
    }


def estimate(
    plan: Plan,
    documents: dict[int, SourceDocument],
    *,
    question: str,
    effort: str,
    model: str,
    map_model: str,
    output_reserve: int,
    consensus_samples: int = 0,
) -> dict:
    """Tokens and cost before running: exact first-stage input, ranges for the rest.

    `consensus_samples` (N) prices a consensus run: N answers and their merge. It applies
    to a corpus read in one call; a larger one is answered once, and the notes say so.
    """
    from .pricing import call_cost, unknown_cost_text

    notes = list(plan.notes)
    if consensus_samples and plan.mode != "single":
        notes.append(CONSENSUS_NEEDS_ONE_CALL)
        consensus_samples = 0
    elif consensus_samples:
        notes.append(
            f"Consensus: {consensus_samples} independent answers by {map_model}, "
            f"merged by agreement by {model}."
        )
    first_stage = plan_input_tokens(plan, documents, question=question)
    calls = _calls(
        plan,
        first_stage,
        question=question,
        model=model,
        map_model=map_model,
        consensus_samples=consensus_samples,
    )
    first_stage *= max(consensus_samples, 1)
    output, reasoning, cost = [0, 0], [0, 0], [0.0, 0.0]
    unpriced: list[str] = []
    for call_model, input_low, input_high, step in calls:
        out = output_range(step, effort=effort, output_reserve=output_reserve)
        output[0] += out["total_low"]
        output[1] += out["total_high"]
        reasoning[0] += out["reasoning_low"]
        reasoning[1] += out["reasoning_high"]
        low = call_cost(
            call_model, {"input_tokens": input_low, "output_tokens": out["total_low"]}
        )
        high = call_cost(
            call_model, {"input_tokens": input_high, "output_tokens": out["total_high"]}
        )
        if low is None or high is None:
            if call_model not in unpriced:
                unpriced.append(call_model)
            continue
        cost[0] += float(low)
        cost[1] += float(high)
    return {
        "model": model,
        "map_model": map_model
        if plan.mode == "map_reduce" or consensus_samples
        else None,
        "consensus_samples": consensus_samples or None,
        "mode": plan.mode,
        "parts": plan.parts,
        "calls": len(calls),
        "documents": len(documents),
        # Exact o200k counts of what the first stage sends; the reduce input is a range.
        "input_tokens": sum(first_stage),
        "reduce_input_tokens": [calls[-1][1], calls[-1][2]]
        if plan.mode == "map_reduce" or consensus_samples
        else None,
        # output_tokens include reasoning_tokens (both are billed as output).
        "output_tokens": output,
        "reasoning_tokens": reasoning,
        "cost_usd": None if unpriced else [round(cost[0], 4), round(cost[1], 4)],
        "unpriced_models": unpriced,
        "cost_note": unknown_cost_text(unpriced)
        if unpriced
        else "assumes no cached input; cached input is cheaper",
        "notes": notes,
    }

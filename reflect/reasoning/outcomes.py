"""What counts as an answer: findings, or the model's plain statement that there are none.

An answer with no findings and no such statement is not an answer (a model that lost its way,
a summary that is not about the question); it fails as unusable, so a retry asks again
instead of reusing it.
"""

from __future__ import annotations

from .errors import INVALID_OUTPUT, ReasoningError

NO_FINDINGS = (
    "the model returned no findings without saying that the documents do not answer "
    "the question; retrying asks again"
)


def require_answer(result: dict) -> dict:
    """`result` if it answers the question; raise `ReasoningError` (invalid_output) if not."""
    if result.get("findings") or result.get("documents_do_not_answer"):
        return result
    raise ReasoningError(NO_FINDINGS, kind=INVALID_OUTPUT)

"""Turn what a parser raised into a message a person can read."""

from .base import ExtractionError

try:  # a Celery soft time limit must reach the task, which reports it as such
    from billiard.exceptions import SoftTimeLimitExceeded

    PASS_THROUGH: tuple[type[BaseException], ...] = (SoftTimeLimitExceeded,)
except ImportError:  # pragma: no cover - Celery is a runtime dependency
    PASS_THROUGH = ()

MAX_DETAIL = 200


def damaged(error: BaseException) -> ExtractionError:
    """ "damaged file: <the parser's own words>", first line only and kept short."""
    message = error.args[0] if isinstance(error, KeyError) and error.args else error
    lines = str(message).strip().splitlines()
    detail = lines[0].strip() if lines else ""
    if not detail or detail == "None":
        detail = type(error).__name__
    if len(detail) > MAX_DETAIL:
        detail = detail[: MAX_DETAIL - 1].rstrip() + "…"
    return ExtractionError(f"damaged file: {detail}")

"""Running: the entry point a task calls to claim a reflection and carry it to its end."""

from __future__ import annotations

import logging
import random

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from .. import liveness
from ..models import Reflection
from ..reasoning import errors
from ..reasoning.errors import ReasoningError
from .claims import Stopped, claim, worker_name
from .engine import Run
from .live import publish

log = logging.getLogger(__name__)


def retry_delay(*, retries: int, retry_after: float | None = None) -> float:
    """Seconds before retry number `retries` + 1: exponential with jitter, never under
    the server's Retry-After."""
    base = settings.REFLECT_RETRY_BACKOFF_SECONDS * (2 ** min(retries, 20))
    delay = min(base, settings.REFLECT_RETRY_BACKOFF_MAX_SECONDS) * random.uniform(
        0.5, 1.0
    )
    return max(delay, retry_after or 0.0)


def run_reflection(
    *, reflection_id: int, worker: str = "", final_attempt: bool = True
) -> Reflection | None:
    """Claim and run a reflection. Returns it when this call finished it, None when there was
    nothing to do (already finished, running elsewhere, cancelled or taken over meanwhile).

    A transient failure with `final_attempt` False releases the claim and raises
    `RetryLater`; otherwise every failure ends as status failed with a reason.
    """
    worker = worker or worker_name()
    # The claim's key in Redis lives as long as this process runs it: the sweep tells a killed
    # worker from a slow model call by it.
    with liveness.claim_heartbeat(worker):
        return _run_claimed(reflection_id, worker, final_attempt=final_attempt)


def _run_claimed(
    reflection_id: int, worker: str, *, final_attempt: bool
) -> Reflection | None:
    reflection = claim(reflection_id, worker)
    if reflection is None:
        return None
    publish(reflection)
    run = Run(reflection, worker)
    try:
        result = run.execute()
    except Stopped:
        return None
    except SoftTimeLimitExceeded:
        error = ReasoningError("the run reached its time limit", kind=errors.RETRYABLE)
        return run.fail_or_release(error, final_attempt=final_attempt)
    except ReasoningError as error:
        return run.fail_or_release(error, final_attempt=final_attempt)
    except Exception:
        log.exception("reflection %s failed unexpectedly", reflection_id)
        error = ReasoningError(
            "an internal error stopped this reflection; it has been logged",
            kind=Reflection.ErrorKind.INTERNAL,
        )
        return run.finish_failed(error)
    return run.finish_succeeded(result)

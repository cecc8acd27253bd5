"""OpenAI background responses: created, their id saved, then polled until they finish.

A background response keeps computing when the worker that asked for it dies. Its id is
saved through the caller's `Slot` before any waiting, so the run's successor retrieves the
same response instead of sending the request again and paying twice. A cancelled reflection
cancels its responses remotely (best effort: the provider may have finished already).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openai

from . import replies
from .errors import RETRYABLE, ReasoningError

log = logging.getLogger(__name__)

# Statuses a background response never leaves (OpenAI: queued and in_progress are not).
TERMINAL = frozenset({"completed", "failed", "cancelled", "incomplete"})
# A remote cancel or delete is housekeeping: never worth a long wait or a retry.
HOUSEKEEPING_TIMEOUT = 10.0


def _nothing(*_args: Any) -> None:
    return None


@dataclass
class Slot:
    """Where the caller keeps one call's response id.

    `saved` is the id an earlier attempt left ("" if none); `save(id)` records a new one
    ("" forgets it) and `touch()` says the caller still wants the answer. Either may raise
    to stop the wait (a cancelled reflection); the response is then cancelled remotely.
    """

    saved: str = ""
    save: Callable[[str], None] = field(default=_nothing)
    touch: Callable[[], None] = field(default=_nothing)


def run(
    api: openai.OpenAI,
    request: dict,
    *,
    slot: Slot,
    timeout: float,
    poll_seconds: float,
) -> Any:
    """The finished response for `request`: the saved one while it is usable, else a new one."""
    response = _resume(api, slot.saved) if slot.saved else None
    if response is None:
        response = replies.checked(api.responses.create, request, "output")
        _guarded(api, response.id, slot.save, response.id)
    return _wait(api, response, slot=slot, timeout=timeout, poll_seconds=poll_seconds)


def _resume(api: openai.OpenAI, response_id: str) -> Any:
    try:
        response = api.responses.retrieve(response_id)
    except openai.NotFoundError:
        # Expired or deleted at the provider: asking again is the only way to an answer.
        log.info("background response %s is gone; asking again", response_id)
        return None
    if response.status == "cancelled":
        log.info("background response %s was cancelled; asking again", response_id)
        return None
    log.info("re-attached to background response %s", response_id)
    return response


def _wait(
    api: openai.OpenAI,
    response: Any,
    *,
    slot: Slot,
    timeout: float,
    poll_seconds: float,
) -> Any:
    deadline = time.monotonic() + timeout
    while response.status not in TERMINAL:
        if time.monotonic() >= deadline:
            # The id stays saved: the task's retry looks at the same response again.
            raise ReasoningError(
                f"the model had not finished after {timeout:g} s; the run will look again",
                kind=RETRYABLE,
            )
        time.sleep(poll_seconds)
        _guarded(api, response.id, slot.touch)
        try:
            response = api.responses.retrieve(response.id)
        except openai.NotFoundError:
            # Gone at the provider mid-wait (never "no Responses API": it was created).
            slot.save("")
            raise ReasoningError(
                "the model provider lost the background response; the run will ask again",
                kind=RETRYABLE,
            ) from None
    if response.status != "completed":
        # A failed or cut-off answer is final: a retry of the reflection must ask afresh.
        slot.save("")
    if response.status == "cancelled":
        raise ReasoningError(
            "the model provider cancelled the response", kind=RETRYABLE
        )
    return response


def _guarded(
    api: openai.OpenAI, response_id: str, action: Callable, *args: object
) -> None:
    """Run the caller's `action`; if it stops the wait, cancel the response remotely."""
    try:
        action(*args)
    except BaseException:
        cancel(api, response_id)
        raise


def cancel(api: openai.OpenAI, response_id: str) -> bool:
    """Cancel a background response; False if the provider refused or could not be reached."""
    try:
        api.with_options(timeout=HOUSEKEEPING_TIMEOUT, max_retries=0).responses.cancel(
            response_id
        )
    except openai.OpenAIError as exc:
        log.info("could not cancel background response %s: %s", response_id, exc)
        return False
    return True


def delete(api: openai.OpenAI, response_id: str) -> None:
    """Delete a stored response once its answer is saved: OpenAI keeps nothing longer."""
    try:
        api.with_options(timeout=HOUSEKEEPING_TIMEOUT, max_retries=0).responses.delete(
            response_id
        )
    except openai.OpenAIError as exc:
        log.info("could not delete background response %s: %s", response_id, exc)

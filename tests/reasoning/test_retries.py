"""Transient failures are retried (SDK first, then the task with backoff); the claim is
released between task attempts; Retry-After is honoured."""

import pytest

from reflect.models import Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.claims import RetryLater
from reflect.reflections.running import retry_delay, run_reflection
from reflect.tasks import run_reflection as run_reflection_task
from tests.stub_openai import answer, error

from .helpers import good_result

pytestmark = pytest.mark.django_db


def new_reflection(owner, meetings):
    return create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )


def test_sdk_retries_429_and_500_then_succeeds(stub_openai, owner, meetings):
    stub_openai.script(
        error(
            429,
            "Rate limit reached",
            type_="requests",
            code="rate_limit_exceeded",
            headers={"Retry-After": "0.05"},
        ),
        error(
            500,
            "The server had an error",
            type_="server_error",
            headers={"retry-after-ms": "10"},
        ),
        answer(good_result(meetings[0].pk, meetings[1].pk)),
    )
    reflection = new_reflection(owner, meetings)

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED
    assert len(stub_openai.requests) == 3
    assert finished.attempts == 1


def test_transient_failure_releases_the_claim_and_carries_retry_after(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_SDK_MAX_RETRIES = 0
    stub_openai.script(
        error(
            429,
            "Rate limit reached",
            type_="requests",
            code="rate_limit_exceeded",
            headers={"Retry-After": "37"},
        )
    )
    reflection = new_reflection(owner, meetings)

    with pytest.raises(RetryLater) as raised:
        run_reflection(reflection_id=reflection.pk, final_attempt=False)

    assert raised.value.retry_after == 37
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.QUEUED
    assert reflection.claimed_by == ""
    assert "Rate limit" in reflection.manifest["last_transient_error"]
    assert len(stub_openai.requests) == 1


def test_backoff_grows_with_jitter_and_never_undercuts_retry_after(settings):
    settings.REFLECT_RETRY_BACKOFF_SECONDS = 10
    settings.REFLECT_RETRY_BACKOFF_MAX_SECONDS = 100
    assert 5 <= retry_delay(retries=0) <= 10
    assert 20 <= retry_delay(retries=2) <= 40
    assert 50 <= retry_delay(retries=9) <= 100
    assert retry_delay(retries=0, retry_after=300) == 300


def test_task_retries_after_a_transient_failure_and_then_succeeds(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_SDK_MAX_RETRIES = 0
    stub_openai.script(
        error(503, "overloaded", type_="server_error"),
        answer(good_result(meetings[0].pk, meetings[1].pk)),
    )
    reflection = new_reflection(owner, meetings)

    # apply() runs the task here, retries included, without a broker.
    run_reflection_task.apply(args=[reflection.pk])

    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.SUCCEEDED
    assert reflection.attempts == 2
    assert len(stub_openai.requests) == 2


def test_gives_up_after_the_last_attempt_with_the_reason(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_SDK_MAX_RETRIES = 0
    stub_openai.script(error(502, "bad gateway", type_="server_error"))
    reflection = new_reflection(owner, meetings)

    finished = run_reflection(reflection_id=reflection.pk, final_attempt=True)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "retryable"
    assert finished.error.startswith("gave up after 1 attempt: ")
    assert "bad gateway" in finished.error


def test_timeout_is_retryable(stub_openai, settings, owner, meetings):
    settings.REFLECT_SDK_MAX_RETRIES = 0
    settings.REFLECT_REQUEST_TIMEOUT = 0.2
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk), delay=0.6))
    reflection = new_reflection(owner, meetings)

    with pytest.raises(RetryLater, match="did not answer in time"):
        run_reflection(reflection_id=reflection.pk, final_attempt=False)

"""Permanent errors fail the reflection at once: one request, the provider's message shown,
no task retry, and the API key never in the message."""

import pytest

from reflect.models import Notification, Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer, error

from .conftest import API_KEY
from .helpers import good_result

pytestmark = pytest.mark.django_db


def run(owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    # final_attempt=False: a retryable error would raise RetryLater, so failing proves no retry.
    return run_reflection(reflection_id=reflection.pk, final_attempt=False)


@pytest.mark.parametrize(
    "reply, expected",
    [
        (
            error(
                401, f"Incorrect API key provided: {API_KEY}.", code="invalid_api_key"
            ),
            "the API key was rejected: Incorrect API key provided: [redacted].",
        ),
        (
            error(
                429,
                "You exceeded your current quota, please check your plan and billing details.",
                type_="insufficient_quota",
                code="insufficient_quota",
            ),
            "the account has no quota left: You exceeded your current quota",
        ),
        (
            error(
                429,
                "Request too large for gpt-5.6 in organization org-x on tokens per min (TPM): "
                "Limit 30000, Requested 90000.",
                type_="tokens",
                code="rate_limit_exceeded",
            ),
            "the request is too large for this account's rate limit",
        ),
        (
            error(
                404,
                "The model `gpt-9` does not exist or you do not have access to it.",
                code="model_not_found",
            ),
            "the model or endpoint was not found: The model `gpt-9` does not exist",
        ),
        (
            error(403, "Project does not have access to model", code="model_not_found"),
            "access denied by the model server",
        ),
        (
            error(
                400, "Invalid value for 'reasoning_effort'.", param="reasoning_effort"
            ),
            "the model server refused the request (400): Invalid value for 'reasoning_effort'.",
        ),
    ],
    ids=["401", "insufficient_quota", "request_too_large", "404_model", "403", "400"],
)
def test_fails_at_once_after_one_request(stub_openai, owner, meetings, reply, expected):
    stub_openai.script(reply, answer(good_result(meetings[0].pk, meetings[1].pk)))

    finished = run(owner, meetings)

    assert len(stub_openai.requests) == 1
    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "permanent"
    assert finished.error.startswith(expected)
    assert API_KEY not in finished.error
    assert Notification.objects.get(reflection=finished).status == "failed"


def test_refusal_is_a_permanent_failure_with_the_reason(stub_openai, owner, meetings):
    stub_openai.script(answer("", refusal="I can't help with that."))

    finished = run(owner, meetings)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error == "the model declined to answer: I can't help with that."

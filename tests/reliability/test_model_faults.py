"""Every model fault through the real task path (task retries included) and the real SDK
against the stub server ends in success, or in a clear failure whose page offers Retry; bad
key and exhausted quota cost exactly one request.

One table, one row per fault: what the server does, how it must end, how many requests it
may cost. (tests/reasoning has the finer checks of each classification and message.)
"""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils.html import escape

from reflect.models import Notification, Reflection
from reflect.reflections.asking import create_reflection
from reflect.tasks import run_reflection as run_reflection_task
from tests.factories import make_document
from tests.reasoning.helpers import (
    MEETING_1,
    MEETING_2,
    cited_answer,
    good_result,
    long_transcript,
    transcript_segments,
)
from tests.stub_openai import answer, error

from .helpers import free_port

pytestmark = pytest.mark.django_db
SUCCEEDED, FAILED = Reflection.Status.SUCCEEDED, Reflection.Status.FAILED
FAST = {"retry-after-ms": "10"}  # keeps the SDK's own backoff out of the test's time
# The task's retry budget is fixed when the task is declared (REFLECT_TASK_MAX_RETRIES).
ATTEMPTS = run_reflection_task.max_retries + 1
SDK_TRIES = 3  # REFLECT_SDK_MAX_RETRIES = 2 below


@dataclass
class Fault:
    replies: list  # scripted replies in order; "ok" is a good answer
    status: str
    requests: int | None  # None: the refused call, one per map part, the reduce
    error_kind: str = ""
    message: str = ""
    attempts: int = 1
    settings: dict = field(default_factory=dict)
    default: object = None  # the reply once the script ran out


OVERFLOW = error(
    400,
    "This model's maximum context length is 922000 tokens. However, your messages "
    "resulted in 1000000 tokens.",
    code="context_length_exceeded",
    param="messages",
)

FAULTS = {
    "429_retry_after_short": Fault(
        [
            error(
                429,
                "Rate limit reached",
                code="rate_limit_exceeded",
                headers={"Retry-After": "0.05"},
            ),
            "ok",
        ],
        SUCCEEDED,
        2,
    ),
    # The SDK does not wait over 120 s: the task retries instead, not before the server's time.
    "429_retry_after_150s": Fault(
        [
            error(
                429,
                "Rate limit reached",
                code="rate_limit_exceeded",
                headers={"Retry-After": "150"},
            ),
            "ok",
        ],
        SUCCEEDED,
        2,
        attempts=2,
    ),
    "500_then_ok": Fault(
        [error(500, "oops", type_="server_error", headers=FAST)] * 3 + ["ok"],
        SUCCEEDED,
        4,
        attempts=2,
    ),
    "500_forever": Fault(
        [],
        FAILED,
        ATTEMPTS * SDK_TRIES,
        "retryable",
        f"gave up after {ATTEMPTS} attempts: "
        "the model server had a temporary problem (500)",
        attempts=ATTEMPTS,
        default=error(500, "oops", type_="server_error", headers=FAST),
    ),
    "timeout_then_ok": Fault(
        ["slow", "ok"], SUCCEEDED, 2, settings={"REFLECT_REQUEST_TIMEOUT": 0.3}
    ),
    "connection_refused": Fault(
        [],
        FAILED,
        0,
        "retryable",
        f"gave up after {ATTEMPTS} attempts: could not reach the model server",
        attempts=ATTEMPTS,
        settings={"OPENAI_BASE_URL": "refused", "REFLECT_SDK_MAX_RETRIES": 0},
    ),
    "malformed_json": Fault(
        [answer('{"summary": "cut here')],
        FAILED,
        1,
        "invalid_output",
        "the model's answer is not the JSON asked for",
    ),
    "truncated_output": Fault(
        [answer('{"summary": "The most', finish_reason="length")],
        FAILED,
        1,
        "invalid_output",
        "cut off",
    ),
    # Re-planned into map-reduce over the two long documents.
    "context_too_long": Fault([OVERFLOW], SUCCEEDED, None, default="cited"),
    "bad_key": Fault(
        [error(401, "Incorrect API key provided.", code="invalid_api_key")],
        FAILED,
        1,
        "permanent",
        "the API key was rejected",
    ),
    "insufficient_quota": Fault(
        [
            error(
                429,
                "You exceeded your current quota.",
                type_="insufficient_quota",
                code="insufficient_quota",
            )
        ],
        FAILED,
        1,
        "permanent",
        "the account has no quota left",
    ),
}


@pytest.fixture
def documents(person):
    texts = [("Kick-off", MEETING_1), ("Week two", MEETING_2)]
    # Long enough that half of the corpus is still a useful map part after an overflow.
    texts += [(f"Meeting {n}", long_transcript(f"meeting {n}", 150)) for n in range(2)]
    return [
        make_document(
            person, title=title, text=text, segments=transcript_segments(text)
        )
        for title, text in texts
    ]


@pytest.mark.parametrize("name", list(FAULTS))
def test_each_fault_ends_in_success_or_a_clear_failure_with_retry(
    name, stub_openai, settings, client, person, documents
):
    fault = FAULTS[name]
    settings.REFLECT_SDK_MAX_RETRIES = SDK_TRIES - 1
    for setting, value in fault.settings.items():
        setattr(settings, setting, value)
    if settings.OPENAI_BASE_URL == "refused":
        settings.OPENAI_BASE_URL = (
            f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
        )
    asked = documents[2:] if name == "context_too_long" else documents[:2]
    good = answer(good_result(documents[0].pk, documents[1].pk))
    slow = answer(good_result(documents[0].pk, documents[1].pk), delay=1.0)
    stub_openai.script(
        *[
            {"ok": good, "slow": slow}.get(r, r) if isinstance(r, str) else r
            for r in fault.replies
        ]
    )
    if fault.default == "cited":
        stub_openai.default = cited_answer(asked)
    elif fault.default is not None:
        stub_openai.default = fault.default
    reflection = create_reflection(
        owner=person,
        preset="blind_spots",
        document_ids=[d.pk for d in asked],
        enqueue=False,
    )

    # apply() runs the task here with its retries (without their countdown), no broker needed.
    run_reflection_task.apply(args=[reflection.pk])

    reflection.refresh_from_db()
    assert (reflection.status, reflection.error_kind) == (
        fault.status,
        fault.error_kind,
    ), reflection.error
    if fault.requests is None:
        assert (
            reflection.manifest["mode"] == "map_reduce"
            and reflection.manifest["replans"] == 1
        )
        assert len(stub_openai.requests) == 1 + len(reflection.manifest["plan"]) + 1
    else:
        assert len(stub_openai.requests) == fault.requests
    assert reflection.attempts == fault.attempts
    assert fault.message in reflection.error
    assert (
        Notification.objects.filter(reflection=reflection, status=fault.status).count()
        == 1
    )
    if name == "429_retry_after_150s":
        # Kept for the task's countdown and the sweep: the retry is not due before 150 s.
        assert reflection.manifest["retry_after"] == 150
    if fault.status == FAILED:
        client.force_login(person)
        page = client.get(reflection.get_absolute_url())
        assert escape(reflection.error) in page.content.decode()
        retry = reverse("reflection-retry", args=[reflection.pk])
        assert f'action="{retry}"' in page.content.decode()
        assert client.post(retry).status_code == 302
        reflection.refresh_from_db()
        assert reflection.status == Reflection.Status.QUEUED

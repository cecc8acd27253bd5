"""Answers that are not what was asked for fail clearly, and their tokens are still counted."""

import pytest

from reflect.models import Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import Reply, answer, usage

from .helpers import good_result

pytestmark = pytest.mark.django_db


def run(owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    return run_reflection(reflection_id=reflection.pk, final_attempt=False)


def test_malformed_json_fails_with_what_came_back(stub_openai, owner, meetings):
    stub_openai.script(answer('{"summary": "cut here', usage_=usage(900, 300)))

    finished = run(owner, meetings)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "invalid_output"
    assert (
        finished.error
        == 'the model\'s answer is not the JSON asked for: {"summary": "cut here'
    )
    assert (
        finished.usage["input_tokens"] == 900 and finished.usage["output_tokens"] == 300
    )
    assert len(stub_openai.requests) == 1


def test_json_of_the_wrong_shape_fails(stub_openai, owner, meetings):
    stub_openai.script(answer({"summary": "fine", "findings": "none"}))

    finished = run(owner, meetings)

    assert finished.status == Reflection.Status.FAILED
    assert (
        finished.error
        == "the model's answer does not have the expected shape: findings: Input should be a valid list"
    )


@pytest.mark.parametrize("style", ["chat", "responses"])
def test_truncated_answer_fails_with_the_reason(
    stub_openai, settings, owner, meetings, style
):
    settings.REFLECT_API_STYLE = style
    stub_openai.script(
        answer(
            '{"summary": "The most',
            finish_reason="length",
            usage_=usage(1200, 25_000, reasoning_tokens=24_900),
        )
    )

    finished = run(owner, meetings)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "invalid_output"
    assert "cut off" in finished.error and "25000" in finished.error
    assert finished.usage["reasoning_tokens"] == 24_900
    assert finished.cost_usd > 0
    assert len(stub_openai.requests) == 1


def test_prose_and_code_fences_around_the_json_are_tolerated(
    stub_openai, owner, meetings
):
    import json

    text = (
        "Here is the analysis you asked for:\n```json\n"
        + json.dumps(good_result(meetings[0].pk, meetings[1].pk))
        + "\n```\nHope it helps."
    )
    stub_openai.script(answer(text))

    finished = run(owner, meetings)

    assert finished.status == Reflection.Status.SUCCEEDED
    assert len(finished.result["findings"]) == 2


@pytest.mark.parametrize(
    "reply, message",
    [
        (
            Reply(
                200,
                raw=b"<html>Bad gateway</html>",
                headers={"Content-Type": "text/html"},
            ),
            "the model server's reply is not an API response: <html>Bad gateway</html>",
        ),
        (Reply(200, raw=b"{not json"), "the model server's reply is not valid JSON"),
        (Reply(200, {"error": "model crashed"}), "the model server returned no answer"),
    ],
    ids=["html", "broken-json", "error-in-200"],
)
def test_a_reply_that_is_not_an_api_response_fails_clearly(
    stub_openai, owner, meetings, reply, message
):
    stub_openai.script(reply)

    finished = run(owner, meetings)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "invalid_output"
    assert finished.error.startswith(message)

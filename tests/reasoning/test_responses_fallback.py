"""With REFLECT_API_STYLE=responses, a server that ignores `text.format` gets the plain-JSON
instruction instead (as chat servers that refuse a schema do), and a server without the
Responses API at all is asked through Chat Completions."""

import json

import pytest

from reflect.models import Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import RESPONSES_PATH, Reply, answer, error, usage

from .helpers import good_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def responses_style(stub_openai, settings):
    settings.REFLECT_API_STYLE = "responses"
    settings.REFLECT_BACKEND_PROFILE = "llamacpp"
    return stub_openai


def ask(owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="contradictions",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    return run_reflection(reflection_id=reflection.pk, final_attempt=False)


def instructions_of(body: dict) -> str:
    return body["input"][0]["content"]


@pytest.mark.parametrize(
    "ignored",
    [
        "Here are some thoughts about the meetings: the launch slipped.",
        json.dumps({"answer": "the launch slipped"}),
    ],
    ids=["prose", "other-json"],
)
def test_an_ignored_schema_is_asked_again_for_plain_json_and_remembered(
    responses_style, owner, meetings, ignored
):
    fenced = "```json\n" + json.dumps(good_result(meetings[0].pk, meetings[1].pk))
    responses_style.script(
        answer(ignored, usage_=usage(800, 40)),
        answer(fenced + "\n```", usage_=usage(900, 300)),
        answer(fenced + "\n```", usage_=usage(900, 300)),
    )

    first = ask(owner, meetings)
    second = ask(owner, meetings)

    assert first.status == second.status == Reflection.Status.SUCCEEDED, first.error
    ignoring, plain, later = responses_style.bodies
    assert ignoring["text"]["format"]["type"] == "json_schema"
    assert "text" not in plain and "text" not in later
    assert "single JSON object" in instructions_of(plain)
    assert '"follow_up_questions"' in instructions_of(plain)
    assert first.manifest["calls"][0]["structured_output"] is False
    # The ignored answer was billed: both calls are counted.
    assert first.usage["input_tokens"] == 1700 and first.usage["output_tokens"] == 340
    assert second.usage["input_tokens"] == 900


def test_a_plain_json_answer_that_still_fails_reports_both_calls_usage(
    responses_style, owner, meetings
):
    responses_style.script(
        answer("prose, not JSON", usage_=usage(800, 40)),
        answer("still prose", usage_=usage(900, 50)),
    )

    finished = ask(owner, meetings)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "invalid_output"
    assert "still prose" in finished.error
    assert len(responses_style.requests) == 2
    assert finished.usage["input_tokens"] == 1700


def test_a_server_without_the_responses_api_is_asked_through_chat(
    responses_style, owner, meetings
):
    result = good_result(meetings[0].pk, meetings[1].pk)
    responses_style.script(
        Reply(404, {"detail": "Not Found"}), answer(result), answer(result)
    )

    first = ask(owner, meetings)
    second = ask(owner, meetings)

    assert first.status == second.status == Reflection.Status.SUCCEEDED, first.error
    paths = [request.path for request in responses_style.requests]
    assert paths == [RESPONSES_PATH, "/v1/chat/completions", "/v1/chat/completions"]
    chat = responses_style.bodies[1]
    assert chat["response_format"]["type"] == "json_schema"
    assert chat["messages"][0]["role"] == "system"


def test_a_404_about_the_model_is_not_mistaken_for_a_missing_api(
    responses_style, owner, meetings
):
    responses_style.script(
        error(404, "The model 'gpt-5.6' does not exist", code="model_not_found")
    )

    finished = ask(owner, meetings)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "permanent"
    assert len(responses_style.requests) == 1

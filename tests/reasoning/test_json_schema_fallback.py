"""A server that cannot do JSON-schema output gets a plain-JSON instruction instead."""

import json

import pytest

from reflect.models import Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer, error

from .helpers import good_result

pytestmark = pytest.mark.django_db


def ask(owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="contradictions",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    return run_reflection(reflection_id=reflection.pk, final_attempt=False)


def test_falls_back_to_plain_json_and_remembers(stub_openai, owner, meetings):
    fenced = (
        "```json\n" + json.dumps(good_result(meetings[0].pk, meetings[1].pk)) + "\n```"
    )
    stub_openai.script(
        error(
            400,
            "response_format type json_schema is not supported by this server",
            param="response_format",
        ),
        answer(fenced),
        answer(fenced),
    )

    first = ask(owner, meetings)
    second = ask(owner, meetings)

    assert first.status == second.status == Reflection.Status.SUCCEEDED
    rejected, plain, later = stub_openai.bodies
    assert "response_format" in rejected
    assert "response_format" not in plain and "response_format" not in later
    assert "single JSON object" in plain["messages"][0]["content"]
    assert '"follow_up_questions"' in plain["messages"][0]["content"]
    assert first.manifest["calls"][0]["structured_output"] is False


def test_a_400_about_something_else_is_not_mistaken_for_it(
    stub_openai, owner, meetings
):
    stub_openai.script(
        error(
            400, "Unsupported parameter: 'reasoning_effort'", param="reasoning_effort"
        )
    )

    finished = ask(owner, meetings)

    assert finished.status == Reflection.Status.FAILED
    assert len(stub_openai.requests) == 1

"""What Reflect sends to an OpenAI-compatible server for a reflection that fits one call."""

import pytest

from reflect.reasoning.schema import RESULT_SCHEMA
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer

from .conftest import API_KEY
from .helpers import MEETING_1, MEETING_2, good_result

pytestmark = pytest.mark.django_db

QUESTION = "What is the most important thing nobody is paying attention to?"


def ask(owner, documents, **kwargs):
    reflection = create_reflection(
        owner=owner,
        question=QUESTION,
        document_ids=[d.pk for d in documents],
        enqueue=False,
        **kwargs,
    )
    return run_reflection(reflection_id=reflection.pk)


def test_one_chat_request_with_instructions_corpus_and_question_last(
    stub_openai, owner, meetings
):
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))

    ask(owner, meetings, effort="high")

    assert len(stub_openai.requests) == 1
    request = stub_openai.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    body = request.body
    assert body["model"] == "gpt-5.6"
    assert body["reasoning_effort"] == "high"
    assert body["max_completion_tokens"] == 25_000
    assert "max_tokens" not in body
    developer, user = body["messages"]
    assert developer["role"] == "developer"
    assert "untrusted" in developer["content"]
    assert "verbatim" in developer["content"]
    assert "step by step" not in developer["content"].lower()
    corpus, question = user["content"]
    assert question == {"type": "text", "text": f"Question: {QUESTION}"}
    assert QUESTION not in developer["content"] and QUESTION not in corpus["text"]
    assert corpus["prompt_cache_breakpoint"] == {"mode": "explicit"}
    assert MEETING_1 in corpus["text"] and MEETING_2 in corpus["text"]
    # Oldest meeting first, each delimited with its id, title, date and speakers.
    assert corpus["text"].index(MEETING_1) < corpus["text"].index(MEETING_2)
    first = meetings[0]
    assert (
        f'BEGIN DOCUMENT {first.pk} [{first.sha256[:16]}] id="{first.pk}" title="Kick-off" '
        'kind="txt" date="2026-03-02" speakers="Alice, Bob, Carol"'
    ) in corpus["text"]
    assert f"END DOCUMENT {first.pk} [{first.sha256[:16]}]" in corpus["text"]
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "reflection", "schema": RESULT_SCHEMA, "strict": True},
    }
    assert body["prompt_cache_key"].startswith("reflect-")


def test_cache_key_is_stable_per_corpus_and_changes_with_it(
    stub_openai, owner, meetings
):
    result = good_result(meetings[0].pk, meetings[1].pk)
    stub_openai.script(answer(result), answer(result), answer(result))

    ask(owner, meetings)
    ask(owner, meetings)
    ask(owner, meetings[:1])

    keys = [body["prompt_cache_key"] for body in stub_openai.bodies]
    assert keys[0] == keys[1] != keys[2]


def test_backend_profile_maps_roles_and_output_limit(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_BACKEND_PROFILE = "ollama"
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))

    ask(owner, meetings)

    body = stub_openai.bodies[0]
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["max_tokens"] == 25_000 and "max_completion_tokens" not in body
    assert "prompt_cache_key" not in body
    assert isinstance(body["messages"][1]["content"], str)
    assert body["messages"][1]["content"].endswith(f"Question: {QUESTION}")


def test_responses_style_request(stub_openai, settings, owner, meetings):
    settings.REFLECT_API_STYLE = "responses"
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))

    reflection = ask(owner, meetings, effort="low")

    assert reflection.status == "succeeded"
    request = stub_openai.requests[0]
    assert request.path == "/v1/responses"
    body = request.body
    # OpenAI's Responses API also returns a summary of the reasoning when asked.
    assert body["reasoning"] == {"effort": "low", "summary": "auto"}
    assert body["max_output_tokens"] == 25_000
    assert body["truncation"] == "disabled"
    assert body["text"]["format"] == {
        "type": "json_schema",
        "name": "reflection",
        "schema": RESULT_SCHEMA,
        "strict": True,
    }
    developer, user = body["input"]
    assert developer["role"] == "developer"
    assert user["content"][-1] == {
        "type": "input_text",
        "text": f"Question: {QUESTION}",
    }

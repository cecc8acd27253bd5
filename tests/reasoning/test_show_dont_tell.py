"""Show, don't tell: the standing instructions carry one invented example finding in the
exact shape the schema asks for, before any document, so it is part of the cached prefix."""

import json

import pytest
from jsonschema import Draft202012Validator

from reflect.reasoning.prompt import EXAMPLE_MARKER
from reflect.reasoning.schema import RESULT_SCHEMA
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer

from .helpers import good_result

pytestmark = pytest.mark.django_db


def texts_of(body: dict) -> list[str]:
    """Every text the request carries, in the order sent."""
    texts = []
    for message in body.get("messages") or body.get("input"):
        content = message["content"]
        if isinstance(content, str):
            texts.append(content)
        else:
            texts.extend(part["text"] for part in content)
    return texts


def example_in(body: dict) -> dict:
    (text,) = [t for t in texts_of(body) if EXAMPLE_MARKER in t]
    line = text[text.index(EXAMPLE_MARKER) + len(EXAMPLE_MARKER) :].strip()
    return json.loads(line.splitlines()[0])


@pytest.mark.parametrize("style", ["chat", "responses"])
def test_the_example_finding_is_schema_valid_and_comes_before_the_documents(
    stub_openai, settings, owner, meetings, style
):
    settings.REFLECT_API_STYLE = style
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    reflection = create_reflection(
        owner=owner,
        question="What is nobody paying attention to?",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    run_reflection(reflection_id=reflection.pk)

    (request,) = stub_openai.requests
    example = example_in(request.body)
    Draft202012Validator(RESULT_SCHEMA["properties"]["findings"]["items"]).validate(
        example
    )
    Draft202012Validator(RESULT_SCHEMA).validate(
        {
            "summary": "s",
            "findings": [example],
            "follow_up_questions": [],
            "documents_do_not_answer": False,
            "no_answer_reason": "",
        }
    )
    raw = request.raw
    assert raw.index(EXAMPLE_MARKER.encode()) < raw.index(b"BEGIN DOCUMENT")


def test_the_example_cites_no_document_that_could_exist(stub_openai, owner, meetings):
    """Document 0 is no row's id; its quote is in none of the documents sent."""
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    reflection = create_reflection(
        owner=owner,
        question="What is nobody paying attention to?",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    run_reflection(reflection_id=reflection.pk)

    example = example_in(stub_openai.bodies[0])
    assert [e["document_id"] for e in example["evidence"]] == [0]
    assert all(
        e["quote"] not in document.text
        for e in example["evidence"]
        for document in meetings
    )

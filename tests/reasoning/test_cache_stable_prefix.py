"""For one corpus, every byte sent before the question is the same whatever the question,
so the provider's prompt cache can serve the instructions and the corpus again."""

import json

import pytest

from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer

from .helpers import good_result

pytestmark = pytest.mark.django_db

QUESTIONS = [
    "What is the most important thing nobody is paying attention to?",
    "Which questions were asked and never answered?",
]


@pytest.mark.parametrize("style", ["chat", "responses"])
def test_bytes_before_the_question_do_not_depend_on_it(
    stub_openai, settings, owner, meetings, style
):
    settings.REFLECT_API_STYLE = style
    result = good_result(meetings[0].pk, meetings[1].pk)
    for question in QUESTIONS:
        stub_openai.script(answer(result))
        reflection = create_reflection(
            owner=owner,
            question=question,
            document_ids=[d.pk for d in meetings],
            enqueue=False,
        )
        run_reflection(reflection_id=reflection.pk)

    prefixes = []
    for request, question in zip(stub_openai.requests, QUESTIONS, strict=True):
        marker = json.dumps(f"Question: {question}").encode()
        position = request.raw.index(marker)
        prefixes.append(request.raw[:position])
        # Only closing brackets may follow the question: it is the last thing sent.
        tail = request.raw[position + len(marker) :].decode()
        assert "Question" not in tail and "BEGIN DOCUMENT" not in tail
    assert prefixes[0] == prefixes[1]
    assert b"BEGIN DOCUMENT" in prefixes[0]

"""What llama-cpp-python's server does differently, as seen on the real one: it refuses a
json_schema response format with a 500 (a validation error no retry can fix) but constrains
"json_object" output to a schema given beside it; a small model's JSON may hold raw control
characters inside strings."""

import json

import pytest

from reflect.models import Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer, error

from .helpers import good_result

pytestmark = pytest.mark.django_db

VALIDATION_ERROR = (
    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', "
    "'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}"
)


def ask(owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="contradictions",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    return run_reflection(reflection_id=reflection.pk, final_attempt=False)


def test_a_500_refusing_json_schema_is_asked_again_with_a_json_object_schema(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_BACKEND_PROFILE = "llamacpp"
    stub_openai.script(
        error(500, VALIDATION_ERROR, type_="internal_server_error"),
        answer(good_result(meetings[0].pk, meetings[1].pk)),
    )

    finished = ask(owner, meetings)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    refused, plain = stub_openai.bodies
    assert refused["response_format"]["type"] == "json_schema"
    assert plain["response_format"]["type"] == "json_object"
    assert plain["response_format"]["schema"]["required"][:2] == ["summary", "findings"]
    assert "single JSON object" in plain["messages"][0]["content"]


def test_raw_newlines_inside_json_strings_are_read(stub_openai, owner, meetings):
    text = json.dumps(good_result(meetings[0].pk, meetings[1].pk)).replace(
        "Raised twice, never assigned.", "Raised twice,\n\tnever assigned."
    )
    stub_openai.script(answer(text))

    finished = ask(owner, meetings)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    observations = [f["observation"] for f in finished.result["findings"]]
    assert "Raised twice,\n\tnever assigned." in observations

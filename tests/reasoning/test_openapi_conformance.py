"""Request bodies meant for OpenAI validate against OpenAI's published OpenAPI spec.

The spec (../shared/specs/openai-openapi.yaml) is OpenAPI 3.1, whose schemas are JSON Schema
2020-12, so `jsonschema` validates against them directly, `referencing` resolving the $refs.
"""

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from reflect.reasoning import request_bodies
from reflect.reasoning.prompt import SINGLE_INSTRUCTIONS, Prompt
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.shared import SHARED
from tests.stub_openai import answer

from .helpers import good_result

SPEC = SHARED / "specs" / "openai-openapi.yaml"


@pytest.fixture(scope="module")
def spec_validator():
    assert SPEC.is_file(), f"OpenAPI spec missing at {SPEC}"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = yaml.load(SPEC.read_text(), Loader=loader)
    assert spec["openapi"].startswith("3.1")
    _discriminated_one_of_as_any_of(spec)
    registry = Registry().with_resource(
        "urn:openai-spec",
        Resource.from_contents(spec, default_specification=DRAFT202012),
    )

    schemas = spec["components"]["schemas"]

    def known_properties(name: str) -> set[str]:
        schema = schemas[name]
        names = set(schema.get("properties", {}))
        for part in schema.get("allOf", []):
            if "$ref" in part:
                names |= known_properties(part["$ref"].rsplit("/", 1)[-1])
            names |= set(part.get("properties", {}))
        return names

    def validator(name: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": f"urn:openai-spec#/components/schemas/{name}"}, registry=registry
        )

    validator.known_properties = known_properties
    return validator


def _discriminated_one_of_as_any_of(node) -> None:
    """Read `oneOf` + `discriminator` the OpenAPI way: the discriminator picks the branch.

    Under plain JSON Schema a message without "type" matches both EasyInputMessage and Item
    of the Responses `InputItem`, so `oneOf` ("exactly one") would reject every request.
    """
    if isinstance(node, dict):
        if "discriminator" in node and "oneOf" in node:
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _discriminated_one_of_as_any_of(value)
    elif isinstance(node, list):
        for value in node:
            _discriminated_one_of_as_any_of(value)


def errors_of(validator, body) -> list[str]:
    return [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)
    ]


def unknown_keys(spec_validator, name: str, body: dict) -> set[str]:
    """Top-level keys the spec does not name (its schemas allow extra properties, so a typo
    would otherwise pass)."""
    return set(body) - spec_validator.known_properties(name)


@pytest.mark.django_db
def test_chat_request_sent_validates_against_spec(
    stub_openai, spec_validator, owner, meetings
):
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    reflection = create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    run_reflection(reflection_id=reflection.pk)

    body = stub_openai.bodies[0]
    assert errors_of(spec_validator("CreateChatCompletionRequest"), body) == []
    assert unknown_keys(spec_validator, "CreateChatCompletionRequest", body) == set()


@pytest.mark.django_db
def test_responses_request_sent_validates_against_spec(
    stub_openai, settings, spec_validator, owner, meetings
):
    settings.REFLECT_API_STYLE = "responses"
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    run_reflection(reflection_id=reflection.pk)

    body = stub_openai.bodies[0]
    assert errors_of(spec_validator("CreateResponse"), body) == []
    assert unknown_keys(spec_validator, "CreateResponse", body) == set()


@pytest.mark.parametrize("style", ["chat", "responses"])
def test_plain_json_fallback_request_validates(spec_validator, style):
    build = (
        request_bodies.chat_request
        if style == "chat"
        else request_bodies.responses_request
    )
    body = build(
        profile=request_bodies.PROFILES["openai"],
        model="gpt-5.5",
        effort="medium",
        prompt=Prompt(SINGLE_INSTRUCTIONS, "corpus", "q?"),
        max_output_tokens=1000,
        cache_key="reflect-abc",
        structured=False,
    )
    schema = "CreateChatCompletionRequest" if style == "chat" else "CreateResponse"
    assert errors_of(spec_validator(schema), body) == []
    assert unknown_keys(spec_validator, schema, body) == set()


def test_validator_catches_a_wrong_body(spec_validator):
    """Guard against a validator that accepts anything (an unresolved $ref would)."""
    bad = {
        "model": "gpt-5.6",
        "messages": [{"role": "developer", "content": 3}],
        "reasoning_effort": "extreme",
    }
    assert errors_of(spec_validator("CreateChatCompletionRequest"), bad)

"""One model of a result: the schema the model is asked to fill, the reading of its answer,
the quote annotations and the API's documentation of them all come from reasoning.schema."""

import json

import pytest

from reflect.reasoning.citations import verify_result
from reflect.reasoning.errors import ReasoningError
from reflect.reasoning.parsing import parse_result
from reflect.reasoning.schema import (
    RESULT_SCHEMA,
    SCHEMA_VERSION,
    LocatedEvidence,
    LocatedFinding,
    LocatedResult,
)
from reflect.reasoning.sources import SourceDocument

KINDS = [
    "blind_spot",
    "contradiction",
    "dropped_action",
    "unanswered_question",
    "risk",
    "trend",
    "other",
]

# The schema sent (the pydantic model's, plus the model's statement that the documents do
# not answer); a change here changes what the model writes and invalidates every cached
# partial result (SCHEMA_VERSION).
SENT_BEFORE = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "kind": {"type": "string", "enum": KINDS},
                    "confidence": {"type": "string", "enum": ["low", "medium", "high"]},
                    "observation": {"type": "string"},
                    "why_it_matters": {"type": "string"},
                    "evidence": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "document_id": {"type": "integer"},
                                "quote": {"type": "string"},
                            },
                            "required": ["document_id", "quote"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": [
                    "title",
                    "kind",
                    "confidence",
                    "observation",
                    "why_it_matters",
                    "evidence",
                ],
                "additionalProperties": False,
            },
        },
        "follow_up_questions": {"type": "array", "items": {"type": "string"}},
        "documents_do_not_answer": {"type": "boolean"},
        "no_answer_reason": {"type": "string"},
    },
    "required": [
        "summary",
        "findings",
        "follow_up_questions",
        "documents_do_not_answer",
        "no_answer_reason",
    ],
    "additionalProperties": False,
}


def _objects(node):
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_the_schema_sent_is_the_one_sent_before_and_keeps_its_version():
    assert RESULT_SCHEMA == SENT_BEFORE
    assert SCHEMA_VERSION == "774dbefd6fad"


def test_the_schema_meets_openai_strict_mode():
    """Every object closed and every property required; no $ref, title or default."""
    for node in _objects(RESULT_SCHEMA):
        assert node["additionalProperties"] is False
        assert node["required"] == list(node["properties"])
    text = repr(RESULT_SCHEMA)
    assert "$ref" not in text and "$defs" not in text
    assert "'default'" not in text and "'title': {'type'" in text  # a property, kept


def test_a_plain_json_answer_is_read_within_the_schemas_vocabulary():
    answer = """{"summary": "s", "extra": 1, "findings": [
        {"title": "t", "kind": "hunch", "observation": "o", "note": "dropped",
         "evidence": [{"document_id": " 7 ", "quote": "q"},
                      {"document_id": "doc-7", "quote": "r"}, {"quote": "s"}]},
        {"title": "u", "observation": "p", "confidence": "high",
         "why_it_matters": null}],
        "follow_up_questions": ["Why?", "", null, 3]}"""

    assert parse_result(answer) == {
        "summary": "s",
        "findings": [
            {
                "title": "t",
                "kind": "other",
                "confidence": "low",
                "observation": "o",
                "why_it_matters": "",
                "evidence": [
                    {"document_id": 7, "quote": "q"},
                    {"document_id": None, "quote": "r"},
                    {"document_id": None, "quote": "s"},
                ],
            },
            {
                "title": "u",
                "kind": "other",
                "confidence": "high",
                "observation": "p",
                "why_it_matters": "",
                "evidence": [],
            },
        ],
        "follow_up_questions": ["Why?", "3"],
        "documents_do_not_answer": False,
        "no_answer_reason": "",
    }


@pytest.mark.parametrize(
    "written, read",
    [
        (True, True),
        ("true", True),
        (" Yes", True),
        (False, False),
        (None, False),
        ("maybe", False),
        (1, False),
    ],
)
def test_only_a_plain_yes_says_the_documents_do_not_answer(written, read):
    answer = json.dumps(
        {
            "summary": "s",
            "findings": [],
            "documents_do_not_answer": written,
            "no_answer_reason": None,
        }
    )

    result = parse_result(answer)

    assert result["documents_do_not_answer"] is read
    assert result["no_answer_reason"] == ""


@pytest.mark.parametrize(
    "answer, problem",
    [
        ('{"findings": []}', "summary: Field required"),
        ('{"summary": "s", "findings": [{"observation": "o"}]}', "findings[0].title"),
        (
            '{"summary": "s", "findings": [{"title": "t", "observation": "o",'
            ' "evidence": [{"document_id": 1}]}]}',
            "findings[0].evidence[0].quote: Field required",
        ),
        ('{"summary": "s", "findings": [], "follow_up_questions": "x"}', "follow_up"),
    ],
)
def test_an_answer_of_the_wrong_shape_says_where(answer, problem):
    with pytest.raises(ReasoningError) as raised:
        parse_result(answer, usage={"input_tokens": 5})

    assert raised.value.kind == "invalid_output"
    assert problem in str(raised.value)
    assert raised.value.usage == {"input_tokens": 5}


def test_checked_quotes_carry_exactly_the_modelled_annotations():
    document = SourceDocument(
        id=3,
        title="Kick-off",
        kind="txt",
        sha256="0" * 64,
        text="Alice: I will send the budget by Friday.",
        segments=[{"start": 0, "end": 40, "line": 1}],
    )
    result = parse_result(
        '{"summary": "s", "findings": [{"title": "t", "kind": "risk",'
        ' "confidence": "high", "observation": "o", "why_it_matters": "w",'
        ' "evidence": [{"document_id": 3, "quote": "send the budget by Friday"},'
        ' {"document_id": 4, "quote": "nowhere at all"}]}]}'
    )

    checked = verify_result(result, {3: document})

    LocatedResult.model_validate(checked)
    finding = checked["findings"][0]
    # Agreement is a consensus run's, added after the quotes are checked.
    assert set(finding) == set(LocatedFinding.model_fields) - {"agreement"}
    for item in finding["evidence"]:
        assert set(item) == set(LocatedEvidence.model_fields)
    found, missing = finding["evidence"]
    assert found["match"] == "exact" and found["locator"] == {"line": 1}
    assert missing["match"] == "unverified" and missing["document_title"] is None


def test_a_stored_quote_naming_no_readable_document_still_reads():
    """Plain-JSON answers were once stored with the id as the model wrote it."""
    stored = {"document_id": "doc-7", "quote": "q", "match": "unverified"}

    assert LocatedEvidence.model_validate(stored).document_id is None


def test_the_api_documents_the_result_with_the_same_vocabulary():
    from reflect.api import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    reflection = schemas["ReflectionOut"]
    finding = schemas["CheckedFinding"]
    evidence = schemas["CheckedEvidence"]

    assert {"summary", "findings", "follow_up_questions"} <= set(reflection["required"])
    assert finding["properties"]["kind"]["enum"] == KINDS
    assert set(finding["required"]) == {
        "title",
        "kind",
        "confidence",
        "observation",
        "why_it_matters",
        "evidence",
        "supported",
        "agreement",
    }
    assert evidence["properties"]["match"]["enum"] == [
        "exact",
        "normalised",
        "approximate",
        "unverified",
    ]
    assert set(evidence["required"]) == {
        "document_id",
        "document_title",
        "quote",
        "verified",
        "match",
        "locator",
    }

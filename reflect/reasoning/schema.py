"""The shape of a reflection result, shared by the model provider, the offline analyzer,
citations and the API.

`Result` is what the model is asked to write. Its JSON schema, made strict
(`strict_json_schema`), is sent for structured output; the same model reads the answer,
forgiving what a plain-JSON answer may leave out (unknown kind or confidence, missing
why_it_matters, evidence or follow-up questions) rather than failing the whole answer.
`CheckedResult` is a result after `citations.verify_result` located its quotes; stored
results are dicts of that shape and are never re-validated on load.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

FindingKind = Literal[
    "blind_spot",
    "contradiction",
    "dropped_action",
    "unanswered_question",
    "risk",
    "trend",
    "other",
]
Confidence = Literal["low", "medium", "high"]
# How a quote was found in its document (see `quotes`); "unverified" when it was not.
QuoteMatchKind = Literal["exact", "normalised", "approximate", "unverified"]

FINDING_KINDS: list[str] = list(get_args(FindingKind))
CONFIDENCES: list[str] = list(get_args(Confidence))


def as_document_id(value: Any) -> int | None:
    """The document id a model or a stored result names, or None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _one_of(choices: list[str], fallback: str):
    return BeforeValidator(lambda value: value if value in choices else fallback)


def _text_or_empty(value: Any) -> str:
    return str(value or "")


def _says_yes(value: Any) -> bool:
    # Only a plain yes counts: a plain-JSON answer that leaves the flag out or garbles it
    # has not said the documents do not answer.
    return value is True or (
        isinstance(value, str) and value.strip().lower() in ("true", "yes")
    )


def _texts(value: Any) -> Any:
    # Anything but a list is left for validation to reject.
    return [str(item) for item in value if item] if isinstance(value, list) else value


# The model is asked for an integer; an id it gets wrong leaves the quote unverifiable
# instead of failing every other finding of the answer.
DocumentId = Annotated[
    int | None, BeforeValidator(as_document_id), WithJsonSchema({"type": "integer"})
]


class Evidence(BaseModel):
    document_id: DocumentId = None
    quote: str


class Finding(BaseModel):
    title: str
    kind: Annotated[FindingKind, _one_of(FINDING_KINDS, "other")] = "other"
    confidence: Annotated[Confidence, _one_of(CONFIDENCES, "low")] = "low"
    observation: str
    why_it_matters: Annotated[str, BeforeValidator(_text_or_empty)] = ""
    evidence: list[Evidence] = Field(default_factory=list)


class Result(BaseModel):
    summary: str
    findings: list[Finding]
    follow_up_questions: Annotated[list[str], BeforeValidator(_texts)] = Field(
        default_factory=list
    )
    # The model's own statement that the documents hold no answer to the question: the
    # only way an answer without findings is accepted (see `outcomes`). Results stored
    # before the field existed read as False.
    documents_do_not_answer: Annotated[bool, BeforeValidator(_says_yes)] = False
    no_answer_reason: Annotated[str, BeforeValidator(_text_or_empty)] = ""


# What is read back is documented as written: every field present. The defaults stand in
# for fields that results stored by older versions may lack.
_AS_WRITTEN = ConfigDict(
    json_schema_mode_override="serialization",
    json_schema_serialization_defaults_required=True,
)


class CheckedEvidence(Evidence):
    """An evidence item as readers see it once its quote was looked for."""

    model_config = _AS_WRITTEN

    # Results stored before ids were read as numbers may hold any text here.
    document_id: Annotated[int | None, BeforeValidator(as_document_id)] = None
    document_title: str | None = None
    # True for exact and normalised matches only: an approximate quote is not verbatim.
    verified: bool = False
    match: QuoteMatchKind = "unverified"
    locator: dict[str, Any] | None = None


class LocatedEvidence(CheckedEvidence):
    """A checked evidence item as stored: where in the document's text the quote is."""

    start: int | None = None
    end: int | None = None
    source_text: str | None = None
    similarity: float | None = None


class Agreement(BaseModel):
    """How many of a consensus run's independent answers found a finding."""

    found_by: int
    answers: int


class CheckedFinding(Finding):
    model_config = _AS_WRITTEN
    # At least one quote was found, approximately or better.
    supported: bool = False
    evidence: list[CheckedEvidence] = Field(default_factory=list)
    # Consensus runs only; None otherwise (and in results stored before consensus).
    agreement: Agreement | None = None


class LocatedFinding(CheckedFinding):
    evidence: list[LocatedEvidence] = Field(default_factory=list)


class CheckedResult(Result):
    model_config = _AS_WRITTEN
    findings: list[CheckedFinding]


class LocatedResult(Result):
    findings: list[LocatedFinding]


def strict_json_schema(model: type[BaseModel]) -> dict:
    """`model`'s JSON schema as OpenAI's strict structured output accepts it.

    Strict mode needs every property required and no additional properties on every
    object; references are inlined and titles and defaults dropped so the schema reads
    as written by hand (and keeps its `SCHEMA_VERSION` while the shape stays the same).
    """
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def strict(node: Any) -> Any:
        if isinstance(node, list):
            return [strict(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return strict(definitions[node["$ref"].rsplit("/", 1)[-1]])
        keywords = {
            key: strict(value)
            for key, value in node.items()
            if key not in ("title", "default", "properties", "required")
        }
        if "properties" in node:
            keywords["properties"] = {
                name: strict(value) for name, value in node["properties"].items()
            }
        if keywords.get("type") == "object":
            keywords["required"] = list(keywords.get("properties", {}))
            keywords["additionalProperties"] = False
        return keywords

    return strict(schema)


RESULT_SCHEMA = strict_json_schema(Result)

# Part of every cache fingerprint: results asked for under another schema are not reused.
SCHEMA_VERSION = hashlib.sha256(
    json.dumps(RESULT_SCHEMA, sort_keys=True).encode()
).hexdigest()[:12]

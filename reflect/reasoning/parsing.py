"""Reading the model's answer: the JSON object in its text, checked against the result
shape (see `schema`)."""

from __future__ import annotations

import json

from .errors import INVALID_OUTPUT, ReasoningError
from .schema import CONFIDENCES, FINDING_KINDS


def extract_json_object(text: str) -> dict | None:
    """The outermost JSON object in `text`: tolerates code fences and prose around it."""
    text = text.strip()
    try:
        value = json.loads(text)
        return value if isinstance(value, dict) else None
    except json.JSONDecodeError:
        pass
    decoder = json.JSONDecoder()
    position = text.find("{")
    while position != -1:
        try:
            value, _ = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            position = text.find("{", position + 1)
            continue
        if isinstance(value, dict):
            return value
        position = text.find("{", position + 1)
    return None


def parse_result(text: str, *, usage: dict | None = None) -> dict:
    """Parse and check a result; raise `ReasoningError` (invalid_output) when it is not one."""
    data = extract_json_object(text or "")
    if data is None:
        snippet = " ".join((text or "").split())[:200]
        raise ReasoningError(
            f"the model's answer is not the JSON asked for: {snippet or '(empty)'}",
            kind=INVALID_OUTPUT,
            usage=usage,
        )
    problem = result_problem(data)
    if problem:
        raise ReasoningError(
            f"the model's answer does not have the expected shape: {problem}",
            kind=INVALID_OUTPUT,
            usage=usage,
        )
    return normalise_result(data)


def result_problem(data: dict) -> str:
    if not isinstance(data.get("summary"), str):
        return "summary must be text"
    findings = data.get("findings")
    if not isinstance(findings, list):
        return "findings must be a list"
    for number, finding in enumerate(findings, 1):
        if not isinstance(finding, dict):
            return f"finding {number} is not an object"
        for key in ("title", "observation"):
            if not isinstance(finding.get(key), str):
                return f"finding {number} has no {key}"
        evidence = finding.get("evidence", [])
        if not isinstance(evidence, list):
            return f"finding {number}: evidence must be a list"
        for item in evidence:
            if not isinstance(item, dict) or not isinstance(item.get("quote"), str):
                return f"finding {number}: each evidence item needs a quote"
    questions = data.get("follow_up_questions", [])
    if not isinstance(questions, list):
        return "follow_up_questions must be a list"
    return ""


def normalise_result(data: dict) -> dict:
    """Fill what a plain-JSON answer may leave out, within the schema's vocabulary."""
    findings = []
    for finding in data["findings"]:
        kind = finding.get("kind")
        confidence = finding.get("confidence")
        findings.append(
            {
                "title": finding["title"],
                "kind": kind if kind in FINDING_KINDS else "other",
                "confidence": confidence if confidence in CONFIDENCES else "low",
                "observation": finding["observation"],
                "why_it_matters": str(finding.get("why_it_matters") or ""),
                "evidence": [
                    {
                        "document_id": _document_id(item.get("document_id")),
                        "quote": item["quote"],
                    }
                    for item in finding.get("evidence", [])
                ],
            }
        )
    return {
        "summary": data["summary"],
        "findings": findings,
        "follow_up_questions": [
            str(q) for q in data.get("follow_up_questions", []) if q
        ],
    }


def _document_id(value):
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value

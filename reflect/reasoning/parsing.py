"""Reading the model's answer: the JSON object in its text, checked against the result
shape (see `schema`)."""

from __future__ import annotations

import json

from pydantic import ValidationError

from .errors import INVALID_OUTPUT, ReasoningError
from .schema import Result


def extract_json_object(text: str) -> dict | None:
    """The outermost JSON object in `text`: tolerates code fences and prose around it."""
    text = text.strip()
    # strict=False: small local models put raw tabs and newlines inside strings (a grammar
    # allows them); the text is still the object they meant.
    decoder = json.JSONDecoder(strict=False)
    try:
        value = decoder.decode(text)
        return value if isinstance(value, dict) else None
    except json.JSONDecodeError:
        pass
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
    try:
        result = Result.model_validate(data)
    except ValidationError as exc:
        raise ReasoningError(
            f"the model's answer does not have the expected shape: {_first_problem(exc)}",
            kind=INVALID_OUTPUT,
            usage=usage,
        ) from exc
    return result.model_dump()


def _first_problem(error: ValidationError) -> str:
    """The first problem, where it is: "findings[0].title: Field required"."""
    problem = error.errors(include_url=False)[0]
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in problem["loc"]
    ).lstrip(".")
    return f"{where}: {problem['msg']}" if where else problem["msg"]

"""The statuses each operation documents, so the schema lists every answer a client can get."""

from .errors import ErrorOut

# Any call can meet a bad token, invalid input or a rate limit.
COMMON = (401, 422, 429)


def answers(ok: dict, *codes: int) -> dict:
    """`ok` ({status: schema}) plus the error shape for the common and the given statuses."""
    return {**ok, **dict.fromkeys((*COMMON, *codes), ErrorOut)}

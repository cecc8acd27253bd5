"""Token counts as OpenAI's o200k encoding sees them, computed offline."""

import toktok

ENCODING = "o200k_base"


def count_tokens(text: str) -> int:
    return toktok.batch_count([text], ENCODING)[0] if text else 0


def count_tokens_batch(texts: list[str]) -> list[int]:
    return toktok.batch_count(texts, ENCODING) if texts else []

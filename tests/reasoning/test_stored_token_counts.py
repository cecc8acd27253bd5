"""An estimate sums the token counts stored at extraction instead of recounting the text:
creating a reflection over a large corpus stays quick in the web request (bench/corpus)."""

import pytest

from reflect.models import Document
from reflect.reasoning import planning
from reflect.reasoning import prompt as prompts
from reflect.reasoning.sources import SourceDocument
from reflect.reasoning.token_counts import count_tokens
from reflect.reflections.asking import estimate_reflection
from tests.factories import make_document

from .helpers import long_transcript

pytestmark = pytest.mark.django_db


def test_the_estimate_uses_the_count_stored_at_extraction(stub_openai, owner):
    text = "Alice: the vendor contract expires Friday.\n" * 50
    document = make_document(owner, title="Stored", text=text, tokens=100_000)

    def estimate():
        return estimate_reflection(
            owner=owner, preset="risks", document_ids=[document.pk]
        )["input_tokens"]

    with_stored = estimate()
    Document.objects.filter(pk=document.pk).update(tokens=None)
    recounted = estimate()

    # 100,000 is not the text's real count: only a sum of the stored figure gives it.
    assert with_stored - recounted == pytest.approx(100_000 - count_tokens(text), abs=2)


@pytest.mark.parametrize("kind", ["vtt", "txt"])
def test_a_sum_of_stored_counts_is_within_a_token_or_two_of_a_recount(kind):
    texts = [long_transcript(f"m{n}", 40 + n) for n in range(5)] + [
        "short\n",
        "no newline",
    ]
    documents = [
        SourceDocument(
            id=n + 1,
            title=f"Sync {n}",
            kind=kind,
            text=text,
            sha256=f"{n:064x}",
            speakers=["Alice", "Bob"],
            tokens=count_tokens(text),
        )
        for n, text in enumerate(texts)
    ]

    summed = planning.framed_tokens(documents)

    for document, tokens in zip(documents, summed, strict=True):
        assert abs(tokens - count_tokens(prompts.render_document(document))) <= 2

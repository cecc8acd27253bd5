import json
import random

from reflect.reasoning.offline import analyze


def test_the_same_input_gives_the_same_output(qmsum):
    documents = qmsum("ami-ES2004")
    assert json.dumps(analyze(documents)) == json.dumps(analyze(documents))


def test_the_order_documents_are_given_in_does_not_matter(qmsum):
    """Order comes from meeting dates, else ids, never from the caller's list."""
    documents = qmsum("icsi-Bed")
    shuffled = list(documents)
    random.Random(3).shuffle(shuffled)
    assert analyze(shuffled) == analyze(documents)


def test_an_empty_corpus_still_answers():
    result = analyze([])
    assert result["findings"] == []
    assert "no language model" in result["summary"]

"""The shared QMSum series: real transcripts, plain `Speaker: text` lines."""

import time

import pytest

from reflect.reasoning.offline import LABEL, analyze
from reflect.reasoning.schema import CONFIDENCES, FINDING_KINDS

SERIES = ["ami-ES2004", "icsi-Bed", "senedd-cype-punishment-bill"]


@pytest.mark.parametrize("series", SERIES)
def test_the_series_gives_labelled_findings_whose_quotes_all_verify(qmsum, series):
    documents = qmsum(series)
    texts = {d.id: d.text for d in documents}
    started = time.process_time()
    result = analyze(documents)
    assert time.process_time() - started < 10
    assert LABEL in result["summary"]
    assert 5 <= len(result["findings"]) <= 10
    assert 2 <= len(result["follow_up_questions"]) <= 4
    for finding in result["findings"]:
        assert finding["kind"] in FINDING_KINDS and finding["confidence"] in CONFIDENCES
        assert finding["title"] and finding["observation"] and finding["why_it_matters"]
        assert finding["evidence"]
        for evidence in finding["evidence"]:
            assert evidence["quote"] in texts[evidence["document_id"]]
            assert 0 < len(evidence["quote"]) <= 300


@pytest.mark.parametrize("series", SERIES)
def test_the_whole_set_before_ranking_verifies_too(qmsum, series):
    """Not only the top ten: every finding the detectors make quotes its source exactly."""
    documents = qmsum(series)
    texts = {d.id: d.text for d in documents}
    result = analyze(documents, limit=1000)
    assert len(result["findings"]) > 10
    for finding in result["findings"]:
        for evidence in finding["evidence"]:
            assert evidence["quote"] in texts[evidence["document_id"]]


def test_the_design_series_finds_several_kinds(qmsum):
    result = analyze(qmsum("ami-ES2004"))
    assert len({f["kind"] for f in result["findings"]}) >= 3

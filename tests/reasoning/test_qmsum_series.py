"""A reflection over the shared QMSum meeting series (AMI ES2004, four meetings) produces
verified findings; a quote that is not in the meetings comes back unverified."""

from pathlib import Path

import pytest

from reflect.models import Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from reflect.reflections.shape import reflection_as_json
from tests.factories import make_document
from tests.stub_openai import answer

from .helpers import cited_answer, transcript_segments

pytestmark = pytest.mark.django_db

FABRICATED = (
    "We agreed the remote control will ship with a solar panel and a lifetime warranty."
)


@pytest.fixture
def series(owner, corpus):
    from datetime import date

    folder = Path(corpus) / "meetings" / "qmsum" / "ami-ES2004"
    documents = []
    for day, path in enumerate(sorted(folder.glob("*.txt")), 1):
        text = path.read_text()
        segments = transcript_segments(text)
        documents.append(
            make_document(
                owner,
                title=path.stem,
                text=text,
                segments=segments,
                kind="txt",
                meeting_date=date(2026, 1, day),
                speakers=sorted({s["speaker"] for s in segments}),
            )
        )
    return documents


def line_of(document, number: int) -> str:
    """The words of line `number` after its speaker label, exactly as in the transcript."""
    return document.text.splitlines()[number].split(": ", 1)[1]


def test_findings_over_the_series_are_verified(stub_openai, owner, series):
    first, second, third, last = series
    exact = line_of(first, 14)
    normalised = "  " + line_of(last, 20).upper().replace(" , ", ",  ") + " "
    result = {
        "summary": "The team kept revisiting the remote's design.",
        "findings": [
            {
                "title": "Design goals set early",
                "kind": "trend",
                "confidence": "medium",
                "observation": "Goals from the first meeting",
                "why_it_matters": "Scope",
                "evidence": [
                    {"document_id": first.pk, "quote": exact},
                    {"document_id": last.pk, "quote": normalised},
                ],
            },
            {
                "title": "A feature nobody discussed",
                "kind": "other",
                "confidence": "low",
                "observation": "Invented",
                "why_it_matters": "It is not in the meetings",
                "evidence": [{"document_id": second.pk, "quote": FABRICATED}],
            },
        ],
        "follow_up_questions": ["Was the budget confirmed?"],
    }
    stub_openai.script(answer(result))
    reflection = create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in series],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED
    body = stub_openai.bodies[0]
    corpus = body["messages"][1]["content"][0]["text"]
    assert all(d.text in corpus for d in series)
    data = reflection_as_json(finished)
    real, invented = data["findings"]
    assert real["supported"] is True
    assert [(e["verified"], e["match"]) for e in real["evidence"]] == [
        (True, "exact"),
        (True, "normalised"),
    ]
    located = real["evidence"][0]
    assert located["document_title"] == "ES2004a"
    assert located["locator"] == {
        "line": 15,
        "speaker": first.text.splitlines()[14].split(":")[0],
    }
    assert invented["supported"] is False
    assert invented["evidence"][0]["verified"] is False
    assert invented["evidence"][0]["match"] == "unverified"


def test_the_series_in_parts_when_the_context_is_small(
    stub_openai, settings, owner, series
):
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 4_000
    settings.REFLECT_CONTEXT_TOKENS = 20_000
    stub_openai.default = cited_answer(series)
    reflection = create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in series],
        enqueue=False,
    )
    assert reflection.estimate["mode"] == "map_reduce"

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    assert len(stub_openai.requests) == reflection.estimate["parts"] + 1
    evidence = finished.result["findings"][0]["evidence"]
    assert len(evidence) >= len(series)
    assert all(item["verified"] for item in evidence)
    assert {item["document_id"] for item in evidence} == {d.pk for d in series}

"""Consensus: N independent answers of the map model, one merge by the main model, each
merged finding saying how many answers found it; nothing is asked twice on resume."""

import pytest

from reflect.models import Reflection, ReflectionPart
from reflect.reasoning.estimates import CONSENSUS_NEEDS_ONE_CALL
from reflect.reflections.asking import create_reflection, estimate_reflection
from reflect.reflections.claims import RetryLater
from reflect.reflections.running import run_reflection
from tests.factories import make_document
from tests.stub_openai import answer, error

from .helpers import corpus_text, long_transcript

pytestmark = pytest.mark.django_db


@pytest.fixture
def consensus_settings(settings, stub_openai):
    settings.REFLECT_CONSENSUS_SAMPLES = 3
    settings.REFLECT_MAP_MODEL = "gpt-5.6-mini"
    settings.REFLECT_SDK_MAX_RETRIES = 0


def finding(title, document, quote):
    return {
        "title": title,
        "kind": "blind_spot",
        "confidence": "medium",
        "observation": "o",
        "why_it_matters": "w",
        "evidence": [{"document_id": document.pk, "quote": quote}],
    }


def result(*findings):
    return {
        "summary": "s",
        "findings": list(findings),
        "follow_up_questions": [],
        "documents_do_not_answer": False,
        "no_answer_reason": "",
    }


def is_merge(body):
    return "Several readers answered" in body["messages"][0]["content"]


def findings_for(meetings):
    first, second = meetings
    payment = finding(
        "Payment testing has no owner",
        first,
        "Who is testing the payment flow? Nobody has said.",
    )
    # The same finding in other words, quoting the same passage.
    payment_again = finding(
        "Nobody owns payment testing", first, "Who is testing the payment flow?"
    )
    contract = finding(
        "Contract not sent to legal", second, "Legal has not seen the contract yet."
    )
    return payment, payment_again, contract


def ask(owner, meetings, consensus=True):
    return create_reflection(
        owner=owner,
        question="What is nobody paying attention to?",
        document_ids=[d.pk for d in meetings],
        consensus=consensus,
        enqueue=False,
    )


def test_three_answers_and_one_merge_with_agreement_counts(
    stub_openai, consensus_settings, owner, meetings
):
    payment, payment_again, contract = findings_for(meetings)
    stub_openai.script(
        answer(result(payment, contract)),
        answer(result(payment_again)),
        answer(result(payment)),
        answer(result(payment, contract)),
    )

    finished = run_reflection(
        reflection_id=ask(owner, meetings).pk, final_attempt=False
    )

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    bodies = stub_openai.bodies
    assert len(bodies) == 4
    samples, merge = bodies[:3], bodies[3]
    assert [b["model"] for b in samples] == ["gpt-5.6-mini"] * 3
    assert not any(is_merge(b) for b in samples)
    assert is_merge(merge) and merge["model"] == "gpt-5.6"
    # The merge reads the answers grouped by agreement, not the documents.
    assert "3 of 3 answers" in corpus_text(merge)
    assert "1 of 3 answers" in corpus_text(merge)
    assert "BEGIN DOCUMENT" not in corpus_text(merge)
    assert [(f["title"], f["agreement"]) for f in finished.result["findings"]] == [
        ("Payment testing has no owner", {"found_by": 3, "answers": 3}),
        ("Contract not sent to legal", {"found_by": 1, "answers": 3}),
    ]
    assert all(f["supported"] for f in finished.result["findings"])
    assert [c["step"] for c in finished.manifest["calls"]] == [
        "sample",
        "sample",
        "sample",
        "merge",
    ]


def test_a_resumed_consensus_run_asks_only_what_is_missing(
    stub_openai, consensus_settings, owner, meetings
):
    payment, payment_again, contract = findings_for(meetings)
    stub_openai.script(
        answer(result(payment)),
        answer(result(payment_again)),
        error(500, "upstream failed", type_="server_error"),
        answer(result(contract)),
        answer(result(payment)),
    )
    reflection = ask(owner, meetings)

    with pytest.raises(RetryLater):
        run_reflection(reflection_id=reflection.pk, final_attempt=False)
    assert ReflectionPart.objects.filter(reflection=reflection).count() == 2
    finished = run_reflection(reflection_id=reflection.pk, final_attempt=False)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    assert len(stub_openai.requests) == 5
    assert is_merge(stub_openai.bodies[-1])
    assert [c.get("reused", False) for c in finished.manifest["calls"][-4:]] == [
        True,
        True,
        False,
        False,
    ]
    assert finished.result["findings"][0]["agreement"] == {
        "found_by": 2,
        "answers": 3,
    }


def test_the_estimate_prices_n_answers_and_the_merge(
    stub_openai, consensus_settings, settings, owner, meetings
):
    ids = [d.pk for d in meetings]
    once = estimate_reflection(owner=owner, preset="blind_spots", document_ids=ids)
    agreed = estimate_reflection(
        owner=owner, preset="blind_spots", document_ids=ids, consensus=True
    )
    settings.REFLECT_MAP_MODEL = "gpt-5.6"
    same_model = estimate_reflection(
        owner=owner, preset="blind_spots", document_ids=ids, consensus=True
    )

    assert once["calls"] == 1 and once["consensus_samples"] is None
    assert agreed["calls"] == 4 and agreed["consensus_samples"] == 3
    assert agreed["map_model"] == "gpt-5.6-mini"
    assert agreed["input_tokens"] == 3 * once["input_tokens"]
    assert agreed["reduce_input_tokens"][0] > 0
    assert any("3 independent answers by gpt-5.6-mini" in n for n in agreed["notes"])
    # Three answers of the same model as the single call, and the merge on top.
    low, high = same_model["cost_usd"]
    assert low > 3 * once["cost_usd"][0] and high > 3 * once["cost_usd"][1]
    assert agreed["cost_usd"][0] < low  # the samples at the map model's price


def test_a_corpus_read_in_parts_is_answered_once_and_says_so(
    stub_openai, consensus_settings, settings, owner
):
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 2_000
    settings.REFLECT_CONTEXT_TOKENS = 2_000 + 900 + 2_600
    documents = [
        make_document(owner, title=f"M {n}", text=long_transcript(f"m {n}", 80))
        for n in range(3)
    ]

    estimate = estimate_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in documents],
        consensus=True,
    )

    assert estimate["mode"] == "map_reduce"
    assert estimate["consensus_samples"] is None
    assert CONSENSUS_NEEDS_ONE_CALL in estimate["notes"]


def test_the_ask_form_offers_consensus_off_by_default_and_passes_it_on(
    stub_openai, consensus_settings, owner, meetings
):
    from reflect.forms import ReflectionForm

    data = {
        "documents": [str(d.pk) for d in meetings],
        "preset": "blind_spots",
        "effort": "medium",
    }
    plain = ReflectionForm(data, owner=owner)
    agreed = ReflectionForm({**data, "consensus": "on"}, owner=owner)

    assert plain.is_valid() and agreed.is_valid(), agreed.errors
    assert plain.reflection_kwargs()["consensus"] is False
    assert agreed.reflection_kwargs()["consensus"] is True
    assert plain.fingerprint() != agreed.fingerprint()
    reflection = create_reflection(
        owner=owner, enqueue=False, **agreed.reflection_kwargs()
    )
    assert reflection.consensus is True
    assert reflection.estimate["calls"] == 4


def test_the_api_creates_a_consensus_reflection(
    stub_openai, consensus_settings, owner, meetings
):
    from django.test import Client

    from reflect.api_tokens import create_token

    api = Client(
        headers={"Authorization": f"Bearer {create_token(user=owner, name='t').raw}"}
    )
    body = {"preset": "blind_spots", "document_ids": [d.pk for d in meetings]}

    response = api.post(
        "/api/reflections/",
        {**body, "consensus": True},
        content_type="application/json",
    )
    plain = api.post("/api/reflections/", body, content_type="application/json")

    assert response.status_code == 202, response.content
    assert Reflection.objects.get(pk=response.json()["id"]).consensus is True
    assert response.json()["estimate"]["consensus_samples"] == 3
    assert Reflection.objects.get(pk=plain.json()["id"]).consensus is False


def test_a_merge_too_long_for_the_context_fails_and_keeps_the_paid_answers(
    stub_openai, consensus_settings, owner, meetings
):
    """Re-planning the corpus into parts would throw the three paid answers away."""
    payment, payment_again, contract = findings_for(meetings)
    stub_openai.script(
        answer(result(payment, contract)),
        answer(result(payment_again)),
        answer(result(payment)),
        error(
            400,
            "This model's maximum context length is 8192 tokens. However, your "
            "messages resulted in 9000 tokens.",
            code="context_length_exceeded",
            param="messages",
        ),
    )

    finished = run_reflection(
        reflection_id=ask(owner, meetings).pk, final_attempt=False
    )

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == Reflection.ErrorKind.CONTEXT_OVERFLOW
    assert "too long to merge" in finished.error
    assert len(stub_openai.bodies) == 4, "no map-reduce calls after the merge"
    assert ReflectionPart.objects.filter(reflection=finished).count() == 3

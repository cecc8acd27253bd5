"""The offline analyzer says plainly when it found nothing, as a model must (see outcomes)."""

from reflect.reasoning.offline import NO_SIGNALS, analyze
from reflect.reasoning.outcomes import require_answer
from reflect.reasoning.parsing import parse_result

from .helpers import transcript

QUIET = [
    ("Ana", "The slides are up on the shared drive."),
    ("Ben", "Thanks, they look good."),
]
LEASE = [
    ("Ana", "Let us look at the dashboard."),
    ("Ben", "Who is going to negotiate the warehouse lease renewal with the landlord?"),
    ("Ana", "The onboarding emails went out on Monday to all the pilot customers."),
    ("Cleo", "Great, and the onboarding survey results arrive next week."),
    ("Ana", "The survey covers onboarding and support tickets."),
]


def test_finding_nothing_says_the_documents_do_not_answer_and_why():
    result = analyze([transcript(1, QUIET)])

    assert result["findings"] == []
    assert result["documents_do_not_answer"] is True
    assert result["no_answer_reason"] == NO_SIGNALS
    assert require_answer(result) is result


def test_finding_something_does_not_claim_the_documents_are_silent():
    result = analyze([transcript(1, LEASE)])

    assert result["findings"]
    assert result["documents_do_not_answer"] is False
    assert result["no_answer_reason"] == ""


def test_the_offline_result_has_the_shape_a_model_is_asked_for():
    import json

    for turns in (QUIET, LEASE):
        result = analyze([transcript(1, turns)])
        assert set(parse_result(json.dumps(result))) == set(result)

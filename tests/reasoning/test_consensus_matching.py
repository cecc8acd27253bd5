"""Findings are matched across independent answers by shared quotes or near-same titles,
so each merged finding can say how many answers found it."""

from reflect.reasoning.consensus import (
    found_by,
    group_findings,
    same_finding,
    with_agreement,
)


def finding(title, *quotes, document_id=1):
    return {
        "title": title,
        "kind": "risk",
        "confidence": "medium",
        "observation": "o",
        "why_it_matters": "w",
        "evidence": [{"document_id": document_id, "quote": q} for q in quotes],
    }


PAYMENT = finding(
    "Payment testing has no owner", "Who is testing the payment flow? Nobody has said."
)
PAYMENT_REWORDED = finding(
    "Nobody owns the payment flow tests",
    # The same passage, quoted shorter and with other punctuation.
    "who is testing the payment flow",
)
CONTRACT = finding("Vendor contract stuck", "Legal has not seen the contract yet.")
CONTRACT_TITLE_ONLY = finding("The vendor contract is stuck", "Bob: maybe next week.")
HIRING = finding("Hiring freeze unexplained", "We are pausing all new roles.")


def test_a_shared_passage_makes_two_findings_the_same():
    assert same_finding(PAYMENT, PAYMENT_REWORDED)
    assert same_finding(PAYMENT_REWORDED, PAYMENT)


def test_near_same_titles_make_two_findings_the_same():
    assert same_finding(CONTRACT, CONTRACT_TITLE_ONLY)


def test_different_findings_are_not_matched():
    assert not same_finding(PAYMENT, CONTRACT)
    assert not same_finding(CONTRACT, HIRING)


def test_a_short_common_phrase_is_not_a_shared_passage():
    first = finding("Budget overrun in Q3", "the budget")
    second = finding("Marketing spend undefined", "the budget")

    assert not same_finding(first, second)


def test_groups_count_each_answer_once_and_put_the_most_agreed_first():
    answers = [
        {"findings": [HIRING, PAYMENT]},
        {"findings": [PAYMENT_REWORDED, CONTRACT]},
        {"findings": [CONTRACT_TITLE_ONLY, PAYMENT]},
    ]

    groups = group_findings(answers)

    assert [sorted(g.answers) for g in groups] == [[1, 2, 3], [2, 3], [1]]
    assert groups[0].versions[0] == (1, PAYMENT)


def test_two_findings_of_one_answer_stay_apart():
    answers = [{"findings": [PAYMENT, PAYMENT_REWORDED]}]

    assert [sorted(g.answers) for g in group_findings(answers)] == [[1], [1]]


def test_the_merged_findings_say_how_many_answers_found_them():
    answers = [
        {"findings": [HIRING, PAYMENT]},
        {"findings": [PAYMENT_REWORDED]},
        {"findings": []},
    ]
    merged = {"summary": "s", "findings": [PAYMENT, HIRING, CONTRACT]}

    annotated = with_agreement(merged, answers)

    assert [f["agreement"] for f in annotated["findings"]] == [
        {"found_by": 2, "answers": 3},
        {"found_by": 1, "answers": 3},
        {"found_by": 0, "answers": 3},
    ]
    assert found_by(PAYMENT, answers) == 2
    assert "agreement" not in merged["findings"][0]

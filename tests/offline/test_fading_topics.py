from reflect.reasoning.offline import analyze

from .helpers import kinds_of, quotes_of, transcript

EARLY = [
    ("Ana", "Our goal this quarter is customer retention above ninety percent."),
    ("Ben", "Customer retention depends on onboarding quality."),
    ("Cleo", "Then customer retention should be on every dashboard."),
    ("Ana", "Agreed, customer retention is the metric we report."),
    ("Ben", "The pricing page needs new screenshots."),
]
LATE = [
    ("Ana", "The pricing page screenshots are done."),
    ("Ben", "Next we look at the pricing page copy."),
    ("Cleo", "And the pricing page translations."),
]


def test_a_goal_central_early_and_absent_later_is_a_faded_topic():
    documents = [
        transcript(1, EARLY, day=1),
        transcript(2, LATE, day=8),
        transcript(3, LATE, day=15),
    ]
    result = analyze(documents, kinds=["trend"])
    finding = result["findings"][0]
    assert finding["kind"] == "trend"
    assert "customer retention" in finding["title"].lower()
    assert "goal" in finding["observation"]
    assert all(quote in documents[0].text for quote in quotes_of(result, "trend"))


def test_a_topic_still_present_later_has_not_faded():
    late = LATE + [
        ("Ana", "Customer retention is steady."),
        ("Ben", "Customer retention is still the goal."),
    ]
    documents = [
        transcript(1, EARLY, day=1),
        transcript(2, late, day=8),
        transcript(3, late, day=15),
    ]
    result = analyze(documents)
    assert not any(
        "retention" in f["title"].lower()
        for f in result["findings"]
        if f["kind"] == "trend"
    )


def test_fewer_than_three_documents_have_no_trend():
    documents = [transcript(1, EARLY, day=1), transcript(2, LATE, day=8)]
    assert "trend" not in kinds_of(analyze(documents))

from reflect.reasoning.offline import analyze

from .helpers import kinds_of, quotes_of, transcript

FILLER = [
    ("Ben", "Sure, the slides are up on the shared drive now."),
    ("Ana", "Good, the onboarding flow looks cleaner than last month."),
]


def test_a_question_nobody_takes_up_is_reported():
    """The next speakers change the subject and no later meeting comes back to it."""
    meeting = transcript(
        1,
        [
            ("Ana", "Let us look at the dashboard."),
            (
                "Ben",
                "Who is going to negotiate the warehouse lease renewal with the landlord?",
            ),
            (
                "Ana",
                "The onboarding emails went out on Monday to all the pilot customers.",
            ),
            ("Cleo", "Great, and the onboarding survey results arrive next week."),
            ("Ana", "The survey covers onboarding and support tickets."),
        ]
        + FILLER,
    )
    result = analyze([meeting], kinds=["unanswered_question"])
    assert kinds_of(result)[0] == "unanswered_question"
    assert (
        "Who is going to negotiate the warehouse lease renewal with the landlord?"
        in quotes_of(result, "unanswered_question")
    )
    assert "Ben" in result["findings"][0]["observation"]


def test_a_question_answered_two_turns_later_is_not_reported():
    meeting = transcript(
        1,
        [
            (
                "Ben",
                "Who is going to negotiate the warehouse lease renewal with the landlord?",
            ),
            ("Ana", "Hmm."),
            ("Cleo", "Let me think."),
            ("Ana", "Dana negotiates the warehouse lease, she knows the landlord."),
        ]
        + FILLER,
    )
    result = analyze([meeting])
    assert "unanswered_question" not in kinds_of(result)


def test_a_question_a_later_meeting_returns_to_is_not_reported():
    first = transcript(
        1,
        [
            (
                "Ben",
                "Who is going to negotiate the warehouse lease renewal with the landlord?",
            ),
            (
                "Ana",
                "The onboarding emails went out on Monday to all the pilot customers.",
            ),
            ("Cleo", "Great, and the onboarding survey results arrive next week."),
        ],
        day=1,
    )
    second = transcript(
        2,
        [
            (
                "Dana",
                "I met the landlord: the warehouse lease renewal is agreed for two years.",
            )
        ],
        day=8,
    )
    result = analyze([first, second])
    assert "unanswered_question" not in kinds_of(result)


def test_tag_questions_and_fillers_are_not_questions():
    meeting = transcript(
        1,
        [
            ("Ben", "The warehouse lease is expensive, right?"),
            ("Ana", "The onboarding emails went out on Monday."),
            ("Ben", "You know?"),
            ("Cleo", "The onboarding survey results arrive next week."),
        ],
    )
    assert "unanswered_question" not in kinds_of(analyze([meeting]))

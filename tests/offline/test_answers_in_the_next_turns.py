"""A question answered in the next turns is never reported as unanswered; a question the next
speaker answers by changing the subject is, whatever words the new subject shares."""

from reflect.reasoning.offline.questions import find_unanswered_questions
from reflect.reasoning.offline.turns import Corpus

from .conftest import plain_text
from .helpers import transcript

FILLER = [
    ("Ben", "Sure, the slides are up on the shared drive now."),
    ("Ana", "Good, the onboarding flow looks cleaner than last month."),
]


def reported(*documents) -> list[str]:
    return [f.evidence[0][1] for f in find_unanswered_questions(Corpus(documents))]


def test_a_status_reply_answers_the_question():
    meeting = transcript(
        1,
        [
            ("Ana", "Where are we with the newsletter for the pilot customers?"),
            ("Ben", "Drafted, it goes out Thursday."),
            ("Cleo", "Great."),
        ]
        + FILLER,
    )

    assert reported(meeting) == []


def test_that_reminds_me_changes_the_subject_even_when_it_shares_words():
    meeting = transcript(
        1,
        [
            ("Ana", "Who is booking the venue for the team offsite in June?"),
            (
                "Ben",
                "That reminds me, the venue for the holiday party moved to the boathouse.",
            ),
            ("Cleo", "Oh nice, the boathouse venue has a great view."),
        ]
        + FILLER,
    )

    assert reported(meeting) == [
        "Who is booking the venue for the team offsite in June?"
    ]


def test_a_short_reply_after_a_hesitation_answers(corpus):
    """icsi-Bed/Bed004.txt lines 9-10: Grad A: 'You ever seen " So I married an axe
    murderer " ?' Grad C: 'Uh parts of it .'"""
    path = corpus / "meetings/qmsum/icsi-Bed/Bed004.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[8].endswith('You ever seen " So I married an axe murderer " ?')
    assert lines[9] == "Grad C: Uh parts of it ."

    assert not any("axe murderer" in q for q in reported(plain_text(1, path)))


def test_an_amount_answers_a_how_many_question(corpus):
    """icsi-Bed/Bed005.txt lines 9-10: Professor B asks 'Uh , roughly how many , Robert ?'
    and Grad C answers 'Um , fifty was our {disfmarker} sort of our first {disfmarker}'."""
    path = corpus / "meetings/qmsum/icsi-Bed/Bed005.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[8].endswith("Uh , roughly how many , Robert ? We d Do we know ?")
    assert lines[9].startswith("Grad C: Um , fifty was our")

    assert not any("roughly how many" in q for q in reported(plain_text(1, path)))


def test_the_real_by_the_way_turn_is_read_as_a_change_of_subject(corpus):
    """icsi-Bed/Bed002.txt line 78, 'Professor C: By the way , Adam , we will be using the ,
    uh , screen as well .', opens by changing the subject: asked right after it, a question
    about the screen is not answered by it."""
    path = corpus / "meetings/qmsum/icsi-Bed/Bed002.txt"
    by_the_way = path.read_text(encoding="utf-8").splitlines()[77]
    assert by_the_way.startswith("Professor C: By the way , Adam")
    speaker, said = by_the_way.split(": ", 1)
    meeting = transcript(
        1,
        [("Grad A", "Which screen are we using for the recorded demo session?")]
        + [(speaker, said)]
        + FILLER,
    )

    assert reported(meeting) == [
        "Which screen are we using for the recorded demo session?"
    ]

from reflect.reasoning.offline import analyze

from .helpers import kinds_of, quotes_of, transcript

CONCERN = (
    "Cleo",
    "I'm worried the vendor licence expires before the migration finishes.",
)


def test_a_concern_nobody_picks_up_is_a_risk():
    meeting = transcript(
        1,
        [
            ("Ana", "Onboarding is on track."),
            CONCERN,
            ("Ben", "Moving on, the marketing newsletter goes out Tuesday."),
            ("Ana", "And the newsletter design is final."),
            ("Ben", "Good, newsletter it is."),
        ],
    )
    result = analyze([meeting], kinds=["risk"])
    assert result["findings"][0]["kind"] == "risk"
    assert CONCERN[1] in quotes_of(result, "risk")
    assert "Cleo" in result["findings"][0]["observation"]


def test_a_concern_another_speaker_acknowledges_is_not_reported():
    meeting = transcript(
        1,
        [
            CONCERN,
            ("Ben", "Good catch, I'll ask them to extend the vendor licence."),
            ("Ana", "The newsletter goes out Tuesday."),
        ],
    )
    assert "risk" not in kinds_of(analyze([meeting]))


def test_a_negated_worry_is_not_a_concern():
    meeting = transcript(
        1,
        [
            ("Cleo", "I'm not worried about the vendor licence at all."),
            ("Ben", "The marketing newsletter goes out Tuesday."),
        ],
    )
    assert "risk" not in kinds_of(analyze([meeting]))

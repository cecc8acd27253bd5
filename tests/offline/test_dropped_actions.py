from reflect.reasoning.offline import analyze

from .helpers import kinds_of, plain, quotes_of, transcript

CHATTER = [
    ("Ana", "The dashboard numbers look fine this week."),
    ("Cleo", "Yes, support tickets are down again."),
]


def commitment_meeting(doc_id: int = 1, day: int = 1):
    return transcript(
        doc_id,
        [
            ("Ben", "I'll send the supplier contract draft to legal by Friday."),
            ("Ana", "Thanks."),
        ]
        + CHATTER,
        day=day,
    )


def test_a_commitment_never_mentioned_again_is_reported_with_its_owner():
    later = transcript(
        2, [("Ana", "The dashboard is live."), ("Cleo", "Support is calm.")] * 2, day=8
    )
    result = analyze([commitment_meeting(), later], kinds=["dropped_action"])
    finding = result["findings"][0]
    assert finding["kind"] == "dropped_action"
    assert "I'll send the supplier contract draft to legal by Friday." in quotes_of(
        result, "dropped_action"
    )
    assert "Owner: Ben" in finding["observation"]


def test_a_commitment_later_reported_done_is_not_reported():
    later = transcript(
        2,
        [("Ben", "The supplier contract draft went to legal, sent on Thursday.")]
        + CHATTER,
        day=8,
    )
    assert "dropped_action" not in kinds_of(analyze([commitment_meeting(), later]))


def test_a_commitment_mentioned_later_but_never_done_is_reported_as_partly_dropped():
    later = transcript(
        2,
        [
            ("Ana", "Where are we with the supplier contract draft for legal?"),
            ("Ben", "Still on my list."),
        ]
        + CHATTER,
        day=8,
    )
    result = analyze([commitment_meeting(), later], kinds=["dropped_action"])
    finding = result["findings"][0]
    assert finding["kind"] == "dropped_action"
    assert "nothing says it was done" in finding["observation"]


def test_we_need_to_has_no_single_owner():
    meeting = transcript(
        1,
        [("Ana", "We need to renew the security certificate for the billing portal.")]
        + CHATTER,
    )
    later = transcript(2, CHATTER * 2)
    finding = analyze([meeting, later], kinds=["dropped_action"])["findings"][0]
    assert finding["kind"] == "dropped_action"
    assert "no named owner" in finding["observation"]


def test_markdown_checkboxes_are_actions_and_ticked_ones_are_done():
    week1 = plain(
        1,
        "# Triage\n\n* [ ] boats to write comment on the unwinding proposal\n* [ ] scott to review the grammar crate\n",
    )
    week2 = plain(
        2, "# Triage\n\n* [x] scott to review the grammar crate\n* [ ] other business\n"
    )
    result = analyze([week1, week2], kinds=["dropped_action"])
    quotes = quotes_of(result, "dropped_action")
    assert "boats to write comment on the unwinding proposal" in quotes
    assert not any("grammar crate" in q for q in quotes)
    assert any("boats" in f["observation"] for f in result["findings"])


def test_immediate_acts_are_not_commitments():
    meeting = transcript(
        1,
        [("Ana", "I'll just show you the next slide about the dashboard layout.")]
        + CHATTER,
    )
    assert "dropped_action" not in kinds_of(analyze([meeting]))

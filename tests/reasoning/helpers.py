"""Data shared by the reasoning tests."""

MEETING_1 = (
    "Alice: Welcome everyone. The launch is planned for March.\n"
    "Bob: I will send the vendor contract to legal by Friday.\n"
    "Carol: Who is testing the payment flow? Nobody has said.\n"
)
MEETING_2 = (
    "Alice: The launch moved to April because of the vendor.\n"
    "Carol: We still have no owner for payment testing.\n"
    "Bob: Legal has not seen the contract yet.\n"
)


def transcript_segments(text: str) -> list[dict]:
    """One segment per line, like a transcript's cues: {"start", "end", "line", "speaker"}."""
    segments, start = [], 0
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        end = start + len(line.rstrip("\n"))
        segments.append({"start": start, "end": end, "line": number,
                         "speaker": line.split(":", 1)[0]})
        start += len(line)
    return segments


def good_result(first_id: int, second_id: int) -> dict:
    """A model answer whose quotes are in the `meetings` documents."""
    return {
        "summary": "Payment testing has no owner and the contract is stuck.",
        "findings": [
            {
                "title": "Payment testing has no owner",
                "kind": "blind_spot",
                "confidence": "high",
                "observation": "Raised twice, never assigned.",
                "why_it_matters": "The launch depends on it.",
                "evidence": [
                    {"document_id": first_id, "quote": "Who is testing the payment flow? Nobody has said."},
                    {"document_id": second_id, "quote": "We still have no owner for payment testing."},
                ],
            },
            {
                "title": "Contract not sent to legal",
                "kind": "dropped_action",
                "confidence": "medium",
                "observation": "Bob promised it by Friday; a week later legal had not seen it.",
                "why_it_matters": "The vendor already delayed the launch.",
                "evidence": [
                    {"document_id": first_id, "quote": "I will send the vendor contract to legal by Friday."},
                    {"document_id": second_id, "quote": "Legal has not seen the contract yet."},
                ],
            },
        ],
        "follow_up_questions": ["Who owns payment testing?"],
    }

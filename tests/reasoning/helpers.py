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
        segments.append(
            {
                "start": start,
                "end": end,
                "line": number,
                "speaker": line.split(":", 1)[0],
            }
        )
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
                    {
                        "document_id": first_id,
                        "quote": "Who is testing the payment flow? Nobody has said.",
                    },
                    {
                        "document_id": second_id,
                        "quote": "We still have no owner for payment testing.",
                    },
                ],
            },
            {
                "title": "Contract not sent to legal",
                "kind": "dropped_action",
                "confidence": "medium",
                "observation": "Bob promised it by Friday; a week later legal had not seen it.",
                "why_it_matters": "The vendor already delayed the launch.",
                "evidence": [
                    {
                        "document_id": first_id,
                        "quote": "I will send the vendor contract to legal by Friday.",
                    },
                    {
                        "document_id": second_id,
                        "quote": "Legal has not seen the contract yet.",
                    },
                ],
            },
        ],
        "follow_up_questions": ["Who owns payment testing?"],
    }


SPEAKERS = ["Ana", "Ben", "Chloe", "Dev"]
TOPICS = [
    "the budget",
    "the supplier",
    "the launch date",
    "testing",
    "the contract",
    "hiring",
]


def long_transcript(label: str, lines: int) -> str:
    """A deterministic transcript of `lines` lines whose every line is unique."""
    return (
        "\n".join(
            f"{SPEAKERS[n % 4]}: In {label} item {n} we discussed {TOPICS[n % 6]} and agreed to "
            f"revisit point {n * 7 % 101} next time."
            for n in range(lines)
        )
        + "\n"
    )


def is_map_request(body: dict) -> bool:
    return "Below is one part of it" in _instructions(body)


def is_reduce_request(body: dict) -> bool:
    return "notes come below as JSON" in _instructions(body)


def _instructions(body: dict) -> str:
    messages = body.get("messages") or body.get("input")
    return messages[0]["content"]


def corpus_text(body: dict) -> str:
    messages = body.get("messages") or body.get("input")
    content = messages[1]["content"]
    return content if isinstance(content, str) else content[0]["text"]


def cited_answer(documents, *, realistic_usage: bool = False):
    """A stub reply builder: quotes the first line of each document the request contains
    (map and single calls), or carries the quotes of the notes it was given (reduce).

    `realistic_usage` reports the request's own size as its input tokens (as a server that
    read all of it would)."""
    import json
    import re

    from tests.stub_openai import answer

    def reply(request):
        body = request.body
        text = corpus_text(body)
        evidence = []
        if is_reduce_request(body):
            notes = json.loads(text[text.index("[") : text.rindex("]") + 1])
            for note in notes:
                for finding in note["findings"]:
                    evidence.extend(finding["evidence"])
        else:
            for document in documents:
                match = re.search(
                    rf"=== BEGIN DOCUMENT {document.pk} .*?===\n(.*?)\n", text
                )
                if match:
                    evidence.append(
                        {"document_id": document.pk, "quote": match.group(1)}
                    )
        result = {
            "summary": f"{len(evidence)} quotes",
            "findings": [
                {
                    "title": "Seen",
                    "kind": "other",
                    "confidence": "low",
                    "observation": "A line.",
                    "why_it_matters": "Test.",
                    "evidence": evidence,
                }
            ],
            "follow_up_questions": [],
        }
        if realistic_usage:
            from reflect.reasoning.token_counts import count_tokens
            from tests.stub_openai import usage

            return answer(
                result, usage_=usage(count_tokens(request.raw.decode()), 200)
            )(request)
        return answer(result)(request)

    return reply


class closing_connection:
    """Close this thread's database connection on exit (for DB work in the stub's thread,
    which only sees committed rows: use with django_db(transaction=True))."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        from django.db import connection

        connection.close()

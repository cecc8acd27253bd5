"""Reasoning summaries: asked of OpenAI's Responses API, kept per call, shown folded under
the answer on the result page (the model's own account, never evidence)."""

import pytest

from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer, error

from .helpers import good_result

pytestmark = pytest.mark.django_db

SUMMARY = "Compared both meetings; the payment owner is never named."


def ask(owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    return run_reflection(reflection_id=reflection.pk)


def test_a_returned_summary_is_kept_and_shown_folded_on_the_result_page(
    stub_openai, settings, client, owner, meetings
):
    settings.REFLECT_API_STYLE = "responses"
    stub_openai.script(
        answer(good_result(meetings[0].pk, meetings[1].pk), reasoning_summary=SUMMARY)
    )

    reflection = ask(owner, meetings)

    assert reflection.status == "succeeded", reflection.error
    assert stub_openai.bodies[0]["reasoning"]["summary"] == "auto"
    assert reflection.manifest["calls"][0]["reasoning_summary"] == SUMMARY
    client.force_login(owner)
    page = client.get(reflection.get_absolute_url()).content.decode()
    folded = page[page.index('<details class="reasoning-summary') :]
    assert folded.index(SUMMARY) < folded.index("</details>")
    assert "<summary>The answer</summary>" in folded


def test_no_summary_is_asked_of_chat_or_of_other_servers(
    stub_openai, settings, client, owner, meetings
):
    result = good_result(meetings[0].pk, meetings[1].pk)
    stub_openai.script(answer(result), answer(result))

    ask(owner, meetings)
    settings.REFLECT_API_STYLE = "responses"
    settings.REFLECT_BACKEND_PROFILE = "vllm"
    reflection = ask(owner, meetings)

    chat, vllm = stub_openai.bodies
    assert "reasoning" not in chat and chat["reasoning_effort"] == "medium"
    assert vllm["reasoning"] == {"effort": "medium"}
    client.force_login(owner)
    page = client.get(reflection.get_absolute_url()).content.decode()
    assert "How the model reasoned" not in page


def test_a_map_reduce_run_lists_each_part_s_summary_once_and_the_synthesis_last():
    from reflect.reasoning.summaries import summaries_of

    manifest = {
        "calls": [
            {"step": "map", "index": 1, "reasoning_summary": "Read part one."},
            # Answered, but the worker died before the part was kept.
            {"step": "map", "index": 2, "reasoning_summary": "Read part two, lost."},
            # Resumed: part 1 reused (no summary), part 2 asked again.
            {"step": "map", "index": 1, "reused": True},
            {"step": "map", "index": 2, "reasoning_summary": "Read part two."},
            {"step": "reduce", "index": 3, "reasoning_summary": "Merged both."},
        ]
    }

    assert summaries_of(manifest) == [
        {"label": "Part 1 of 2", "text": "Read part one."},
        {"label": "Part 2 of 2", "text": "Read part two."},
        {"label": "The synthesis", "text": "Merged both."},
    ]


def test_a_provider_refusing_summaries_is_asked_without_them_and_the_run_succeeds(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_API_STYLE = "responses"
    result = good_result(meetings[0].pk, meetings[1].pk)
    stub_openai.script(
        error(
            400,
            "Your organization must be verified to generate reasoning summaries.",
            param="reasoning.summary",
            code="unsupported_value",
        ),
        answer(result),
        answer(result),
    )

    first = ask(owner, meetings)
    later = ask(owner, meetings)

    assert first.status == later.status == "succeeded", first.error
    refused, again, afterwards = stub_openai.bodies
    assert refused["reasoning"]["summary"] == "auto"
    # Asked again without it, and not offered again to this server.
    assert (
        "summary" not in again["reasoning"] and "summary" not in afterwards["reasoning"]
    )

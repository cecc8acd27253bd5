"""Not urgent: OpenAI's flex tier at about half price, with its longer timeout; a 429
"Resource Unavailable" (flex has no room) is asked once more at the standard tier."""

import pytest

from reflect.reflections.asking import create_reflection, estimate_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer, error, usage

from .helpers import good_result

pytestmark = pytest.mark.django_db

NO_ROOM = "Resource Unavailable: flex processing has no capacity right now."


def ask(owner, meetings, **kwargs):
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
        **kwargs,
    )
    return run_reflection(reflection_id=reflection.pk)


@pytest.mark.parametrize("style", ["chat", "responses"])
def test_a_not_urgent_reflection_asks_flex_and_costs_half(
    stub_openai, settings, owner, meetings, style
):
    settings.REFLECT_API_STYLE = style
    billed = usage(100_000, 8_000, cached_tokens=0)
    result = good_result(meetings[0].pk, meetings[1].pk)
    stub_openai.script(answer(result, usage_=billed), answer(result, usage_=billed))

    standard = ask(owner, meetings)
    flex = ask(owner, meetings, not_urgent=True)

    first, second = stub_openai.bodies
    assert "service_tier" not in first
    assert second["service_tier"] == "flex"
    assert flex.status == "succeeded", flex.error
    assert flex.manifest["calls"][0]["service_tier"] == "flex"
    assert flex.cost_usd == standard.cost_usd / 2 and flex.cost_usd > 0


def test_flex_without_room_is_asked_once_more_at_the_standard_tier(
    stub_openai, owner, meetings
):
    stub_openai.script(
        error(429, NO_ROOM, type_="rate_limit_error", code="resource_unavailable"),
        answer(good_result(meetings[0].pk, meetings[1].pk)),
    )

    done = ask(owner, meetings, not_urgent=True)

    assert done.status == "succeeded", done.error
    # No SDK retry of the refused flex request: straight to the standard tier.
    flex, standard = stub_openai.bodies
    assert flex["service_tier"] == "flex" and "service_tier" not in standard
    (call,) = done.manifest["calls"]
    assert "standard tier" in call["flex_fallback"]
    assert "service_tier" not in call
    assert done.attempts == 1


def test_the_standard_tier_refusing_too_is_an_ordinary_rate_limit(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_SDK_MAX_RETRIES = 0
    no_room = error(429, NO_ROOM, type_="rate_limit_error")
    # A standard-tier 429 is never a reason to leave the standard tier.
    stub_openai.script(no_room, no_room)

    reflection = ask(owner, meetings, not_urgent=True)

    assert reflection.status == "failed"
    assert "rate limited" in reflection.error
    assert len(stub_openai.requests) == 2


def test_the_estimate_of_a_not_urgent_reflection_is_about_half(
    stub_openai, owner, meetings
):
    asked = {
        "owner": owner,
        "preset": "risks",
        "document_ids": [m.pk for m in meetings],
    }

    standard = estimate_reflection(**asked)
    flex = estimate_reflection(**asked, not_urgent=True)

    low, high = standard["cost_usd"]
    assert flex["cost_usd"] == [round(low / 2, 4), round(high / 2, 4)]
    assert flex["service_tier"] == "flex"
    assert any("flex" in note for note in flex["notes"])


def test_other_servers_have_no_flex_tier_and_no_discount(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_BACKEND_PROFILE = "vllm"
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    asked = {
        "owner": owner,
        "preset": "risks",
        "document_ids": [m.pk for m in meetings],
    }

    assert estimate_reflection(**asked, not_urgent=True) == estimate_reflection(**asked)
    ask(owner, meetings, not_urgent=True)
    assert "service_tier" not in stub_openai.bodies[0]


def test_a_flex_request_waits_for_the_longer_flex_timeout(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_SDK_MAX_RETRIES = 0
    settings.REFLECT_REQUEST_TIMEOUT = 0.3
    settings.REFLECT_FLEX_REQUEST_TIMEOUT = 5.0
    slow = answer(good_result(meetings[0].pk, meetings[1].pk), delay=0.8)
    stub_openai.script(slow, slow)

    standard = ask(owner, meetings)
    flex = ask(owner, meetings, not_urgent=True)

    assert standard.status == "failed" and "in time" in standard.error
    assert flex.status == "succeeded", flex.error

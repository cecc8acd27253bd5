"""`not_urgent` through the API: the estimate is at the flex price and the reflection keeps
the choice (its calls then ask OpenAI's flex tier)."""

import pytest

from reflect.models import Reflection

from ..factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def openai(settings):
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = ""
    settings.REFLECT_PROVIDER = "openai"
    settings.REFLECT_BACKEND_PROFILE = "openai"


def test_a_not_urgent_request_is_estimated_at_the_flex_price_and_kept(
    api, api_user, openai
):
    document = make_document(api_user, title="Standup", text="Bob: I will check.")
    asked = {"document_ids": [document.pk], "preset": "risks"}

    def estimate(**more):
        response = api.post("/api/reflections/", asked | more | {"estimate_only": True})
        assert response.status_code == 200, response.content
        return response.json()["estimate"]

    standard, flex = estimate(), estimate(not_urgent=True)
    started = api.post("/api/reflections/", asked | {"not_urgent": True})

    low, high = standard["cost_usd"]
    assert flex["cost_usd"] == [round(low / 2, 4), round(high / 2, 4)]
    assert started.status_code == 202, started.content
    assert Reflection.objects.get(pk=started.json()["id"]).not_urgent
    # The choice is shown back, in the reflection and in the list.
    shown = api.get(started.json()["url"]).json()
    assert shown["not_urgent"] is True and shown["consensus"] is False
    listed = api.get("/api/reflections/").json()["items"]
    assert [r["not_urgent"] for r in listed] == [True]

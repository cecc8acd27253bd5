"""Nobody waits for a scheduled run: it asks OpenAI's flex tier (about half price)."""

import pytest
import time_machine

from reflect.models import Reflection
from reflect.schedules import run_due_schedules

from ..factories import make_user
from .helpers import add_document, at, make_collection, make_schedule

pytestmark = pytest.mark.django_db


def test_a_scheduled_run_is_not_urgent_and_estimated_at_the_flex_price(settings):
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = ""
    settings.REFLECT_PROVIDER = "openai"
    settings.REFLECT_BACKEND_PROFILE = "openai"
    collection = make_collection(make_user())
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        add_document(collection, "Standup 14 Nov")
        schedule = make_schedule(collection, now=at("2026-11-14 12:00"))
    with time_machine.travel(at("2026-11-15 08:00:30"), tick=False):
        run_due_schedules()

    run = Reflection.objects.get(schedule=schedule)
    assert run.not_urgent
    assert run.estimate["service_tier"] == "flex"
    low, high = run.estimate["standard_cost_usd"]
    assert run.estimate["cost_usd"] == [round(low / 2, 4), round(high / 2, 4)]

"""Schedule pages: the owner creates, edits, pauses and deletes a schedule of a collection and
sees its runs with links comparing consecutive ones; strangers get 404 everywhere."""

import pytest
import time_machine

from reflect.models import Reflection, Schedule

from ..factories import make_reflection, make_user
from .helpers import at, make_collection, make_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection(owner):
    return make_collection(owner)


def test_the_owner_creates_a_weekly_schedule(client, collection):
    with time_machine.travel(at("2026-11-15 12:00"), tick=False):
        response = client.post(
            f"/collections/{collection.pk}/schedules/new/",
            {
                "preset": "risks",
                "question": "",
                "effort": "low",
                "cadence": "weekly",
                "weekday": "0",
                "time_of_day": "09:30",
                "cron": "",
                "scope": "new",
                "enabled": "on",
            },
        )

    schedule = Schedule.objects.get()
    assert response.status_code == 302 and response.url == f"/schedules/{schedule.pk}/"
    assert (schedule.owner, schedule.collection, schedule.preset, schedule.effort) == (
        collection.owner,
        collection,
        "risks",
        "low",
    )
    assert schedule.question == "What are the biggest risks, and whose job is each?"
    assert schedule.next_run_at == at("2026-11-16 09:30")
    page = client.get(collection.get_absolute_url()).content.decode()
    assert f"/schedules/{schedule.pk}/" in page and "2026-11-16 09:30" in page


def test_an_invalid_cron_expression_is_a_form_error(client, collection):
    response = client.post(
        f"/collections/{collection.pk}/schedules/new/",
        {
            "question": "What changed?",
            "effort": "medium",
            "cadence": "cron",
            "weekday": "0",
            "time_of_day": "08:00",
            "cron": "0 25 * * *",
            "scope": "all",
            "enabled": "on",
        },
    )

    assert response.status_code == 200
    assert "hour: &#x27;25&#x27; is outside 0–23" in response.content.decode()
    assert not Schedule.objects.exists()


def test_a_question_or_a_preset_is_required(client, collection):
    response = client.post(
        f"/collections/{collection.pk}/schedules/new/",
        {
            "question": " ",
            "effort": "medium",
            "cadence": "daily",
            "weekday": "0",
            "time_of_day": "08:00",
            "scope": "new",
        },
    )

    assert "Pick a question or write your own." in response.content.decode()
    assert not Schedule.objects.exists()


def test_edit_recomputes_the_next_run(client, collection):
    schedule = make_schedule(collection, now=at("2026-11-15 12:00"))
    with time_machine.travel(at("2026-11-15 12:00"), tick=False):
        client.post(
            f"/schedules/{schedule.pk}/edit/",
            {
                "question": schedule.question,
                "effort": "medium",
                "cadence": "cron",
                "weekday": "0",
                "time_of_day": "08:00",
                "cron": "0 18 * * *",
                "scope": "new",
                "enabled": "on",
            },
        )

    schedule.refresh_from_db()
    assert (schedule.cadence, schedule.next_run_at) == ("cron", at("2026-11-15 18:00"))


def test_pause_and_resume(client, collection):
    schedule = make_schedule(collection, now=at("2026-11-15 12:00"))

    client.post(f"/schedules/{schedule.pk}/pause/")
    schedule.refresh_from_db()
    assert (schedule.enabled, schedule.next_run_at) == (False, None)

    client.post(f"/schedules/{schedule.pk}/pause/")
    schedule.refresh_from_db()
    assert schedule.enabled and schedule.next_run_at is not None


def test_runs_are_listed_with_links_comparing_consecutive_runs(client, collection):
    schedule = make_schedule(collection, now=at("2026-11-15 12:00"))
    first = make_reflection(
        collection.owner, schedule=schedule, result={"findings": []}
    )
    second = make_reflection(
        collection.owner, schedule=schedule, result={"findings": []}
    )

    page = client.get(f"/schedules/{schedule.pk}/").content.decode()

    assert f"/reflections/{first.pk}/" in page and f"/reflections/{second.pk}/" in page
    assert f"/reflections/{second.pk}/compare/{first.pk}/" in page


def test_deleting_a_schedule_keeps_its_runs(client, collection):
    schedule = make_schedule(collection, now=at("2026-11-15 12:00"))
    run = make_reflection(collection.owner, schedule=schedule)

    response = client.post(f"/schedules/{schedule.pk}/delete/")

    assert response.status_code == 302 and response.url == collection.get_absolute_url()
    assert not Schedule.objects.exists()
    assert Reflection.objects.get(pk=run.pk).schedule is None


def test_strangers_get_404(client, collection):
    schedule = make_schedule(collection, now=at("2026-11-15 12:00"))
    client.force_login(make_user("stranger"))

    assert client.get(f"/collections/{collection.pk}/schedules/new/").status_code == 404
    assert client.get(f"/schedules/{schedule.pk}/").status_code == 404
    assert client.get(f"/schedules/{schedule.pk}/edit/").status_code == 404
    assert client.post(f"/schedules/{schedule.pk}/pause/").status_code == 404
    assert client.post(f"/schedules/{schedule.pk}/delete/").status_code == 404
    schedule.refresh_from_db()
    assert schedule.enabled


def test_the_forms_render_for_the_owner(client, collection):
    schedule = make_schedule(
        collection, now=at("2026-11-15 12:00"), cadence="cron", cron="0 9 * * mon-fri"
    )

    new = client.get(f"/collections/{collection.pk}/schedules/new/")
    edit = client.get(f"/schedules/{schedule.pk}/edit/")

    assert new.status_code == 200 and 'name="cron"' in new.content.decode()
    assert (
        edit.status_code == 200 and 'value="0 9 * * mon-fri"' in edit.content.decode()
    )

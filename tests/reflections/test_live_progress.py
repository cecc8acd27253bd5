"""While a reflection runs, its page says honestly where it is: the phase in words, a time
that moves, a bar only when there are parts to count, that the person may leave, and a
live region screen readers follow. The bell names the question of what finished."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from reflect.models import Notification
from reflect.progress import elapsed_text
from reflect.reflections.live import reflection_event

from ..factories import make_reflection

pytestmark = pytest.mark.django_db

LEAVE = "You can leave this page — you will be notified when it is ready."


def fragment(client, reflection) -> str:
    return client.get(
        reflection.get_absolute_url(), HTTP_HX_REQUEST="true"
    ).content.decode()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (42, "42 s"),
        (65, "1 min 05 s"),
        (600, "10 min 00 s"),
        (3725, "1 h 02 min"),
    ],
)
def test_elapsed_time_reads_in_seconds_minutes_and_hours(seconds, text):
    assert elapsed_text(seconds) == text


def test_a_running_reflection_shows_how_long_it_has_run_in_seconds(client, owner):
    reflection = make_reflection(
        owner,
        status="running",
        phase="reading every document in one call",
        parts_total=1,
        started_at=timezone.now() - timedelta(seconds=65),
    )

    html = fragment(client, reflection)

    assert re.search(r"running for 1 min 0[5-9] s", html)
    assert "reading every document in one call" in html
    assert "<progress" not in html, "one call has no parts to count"
    assert LEAVE in html


def test_a_queued_reflection_says_it_waits_and_that_the_person_may_leave(client, owner):
    reflection = make_reflection(owner, status="queued")

    html = client.get(reflection.get_absolute_url()).content.decode()

    assert "waiting for a worker" in html and LEAVE in html


def test_the_status_line_sits_in_a_polite_live_region_outside_the_swapped_body(
    client, owner
):
    reflection = make_reflection(
        owner, status="running", phase="reading part 2 of 5", parts_total=5
    )

    page = client.get(reflection.get_absolute_url()).content.decode()
    region = re.search(
        r'<p id="reflection-status"[^>]*role="status" aria-live="polite">(.*?)</p>',
        page,
        re.S,
    )

    assert region and "Running" in region.group(1)
    assert "reading part 2 of 5" in region.group(1)
    assert page.index('id="reflection-status"') < page.index('id="reflection-body"')
    # The fragment carries the new line for live.js to copy into the region.
    assert re.search(
        r"<div hidden data-status-line>.*reading part 2 of 5",
        fragment(client, reflection),
    )


def test_a_finished_reflection_no_longer_says_to_leave(client, owner):
    html = client.get(make_reflection(owner).get_absolute_url()).content.decode()

    assert LEAVE not in html and "running for" not in html


def test_the_live_event_carries_the_question_shortened():
    long = "What is the most important thing nobody in these meetings is paying attention to, and why?"
    reflection = make_reflection_unsaved(long)

    event = reflection_event(reflection)

    assert event["question"].startswith("What is the most important")
    assert event["question"].endswith("…") and len(event["question"]) <= 80


def make_reflection_unsaved(question):
    from reflect.models import Reflection

    return Reflection(pk=7, question=question, status="succeeded", owner_id=1)


def test_the_bell_names_the_question_of_the_latest_unread(client, owner):
    reflection = make_reflection(owner, question="What is the most important risk?")
    Notification.objects.create(
        user=owner,
        reflection=reflection,
        status="succeeded",
        message="Reflection ready: What is the most important risk?",
    )

    bell = client.get("/notifications/bell/").content.decode()
    page = client.get("/collections/").content.decode()

    for html in (bell, page):
        assert (
            'aria-label="1 unread notifications, latest: Reflection ready: What is the most important risk?"'
            in html
        )

"""Every main page, on a phone (390 px) and a laptop (1280 px): nothing scrolls sideways and
axe-core finds no serious or critical accessibility violation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reflect import api_tokens, collections, documents
from reflect.models import Reflection, Schedule
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from reflect.schedules import save_schedule

from ..factories import make_user
from .accessibility import problems_at

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WIDTHS = [390, 1280]
PASSWORD = "a-long-test-password"
# An unanswered question, a dropped action and a long unbreakable URL and identifier: what
# makes a phone-width page overflow when words do not wrap.
STANDUP = """WEBVTT

00:00:01.000 --> 00:00:06.000
<v Dana>Who is renewing the vendor contract before it expires on the thirtieth?

00:00:07.000 --> 00:00:12.000
<v Eli>I will send the renewal draft to legal by Friday.

00:00:13.000 --> 00:00:19.000
<v Dana>The draft lives at https://intranet.example.com/contracts/vendors/2026/renewal-draft-final-v3-reviewed-by-legal.pdf and config_key_VENDOR_CONTRACT_RENEWAL_REMINDER_THRESHOLD_DAYS.

00:00:20.000 --> 00:00:25.000
<v Eli>Let's talk about the launch party instead.
"""
FOLLOW_UP = """WEBVTT

00:00:01.000 --> 00:00:06.000
<v Dana>The launch party is booked. Did anyone hear back from legal?

00:00:07.000 --> 00:00:12.000
<v Eli>Let's talk about the launch party budget.
"""


def furnish(user) -> dict[str, str]:
    """A person with what each main page shows when in use; the paths of those pages."""
    standup = documents.ingest_document(
        owner=user, filename="standup-2026-03-02.vtt", data=STANDUP.encode()
    ).document
    later = documents.ingest_document(
        owner=user, filename="standup-2026-03-09.vtt", data=FOLLOW_UP.encode()
    ).document
    collection = collections.create_collection(owner=user, name="Q3 planning")
    collections.add_to_collection(
        collection=collection, document_ids=[standup.pk, later.pk]
    )
    runs = []
    for _ in range(2):
        reflection = create_reflection(
            owner=user,
            preset="blind_spots",
            collection=collection,
            provider="offline",
            enqueue=False,
        )
        run_reflection(reflection_id=reflection.pk)
        runs.append(Reflection.objects.get(pk=reflection.pk))
    earlier, latest = runs
    assert latest.status == "succeeded" and latest.result["findings"], latest.error
    schedule = save_schedule(
        schedule=Schedule(
            owner=user,
            collection=collection,
            question="What changed since last week?",
            cadence=Schedule.Cadence.WEEKLY,
            weekday=0,
            time_of_day="08:00",
        ),
        now=timezone.now() - timedelta(days=1),
    )
    api_tokens.create_token(user=user, name="laptop script")
    return {
        "documents list": "/",
        "document page": standup.get_absolute_url(),
        "collections": "/collections/",
        "collection page": collection.get_absolute_url(),
        "reflections list": "/reflections/",
        "ask form": "/reflections/new/",
        "reflection result": latest.get_absolute_url(),
        "compare": f"/reflections/{latest.pk}/compare/{earlier.pk}/",
        "notifications": "/notifications/",
        "account settings": "/accounts/settings/",
        "tokens": "/accounts/settings/tokens/",
        "schedule": f"/schedules/{schedule.pk}/",
        "new schedule": f"/collections/{collection.pk}/schedules/new/",
    }


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_main_page_fits_the_window_and_has_no_serious_violation(
    page, start_web, tmp_path, width
):
    user = make_user("dana", password=PASSWORD)
    paths = furnish(user)
    web = start_web()
    page.set_viewport_size({"width": width, "height": 900})
    found = []

    for name in ("login", "signup"):
        page.goto(f"{web.url}/accounts/{name}/")
        found += problems_at(page, name=name)

    log_in(page, web.url, "dana")
    for name, path in paths.items():
        page.goto(web.url + path)
        found += problems_at(page, name=name)

    # The upload page as it reports files sent: the progress list under the drop zone.
    transcript = tmp_path / "a-file-name-long-enough-to-need-wrapping-on-a-phone.vtt"
    transcript.write_text(STANDUP)
    page.goto(f"{web.url}/")
    page.set_input_files("input[type=file]", str(transcript))
    page.wait_for_selector("#upload-progress li")
    found += problems_at(page, name="upload")

    assert found == [], "\n".join(found)
    assert page.js_errors == []


def test_the_keyboard_reaches_the_content_first_and_always_shows_where_it_is(
    page, start_web
):
    make_user("dana", password=PASSWORD)
    web = start_web()
    log_in(page, web.url, "dana")
    page.goto(f"{web.url}/collections/")

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == (
        "Skip to content"
    )
    assert page.locator(".skip-link").bounding_box()["y"] >= 0, (
        "focused, it is on screen"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"

    outlines = []
    for _ in range(2):  # the new collection's name, then Create
        page.keyboard.press("Tab")
        outlines.append(
            page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"
            )
        )
    assert all(style != "none" and width != "0px" for _, style, width in outlines), (
        outlines
    )

"""The whole loop on a phone and on a laptop: log in, upload, make a collection, ask it, read
the result, open a follow-up in the ask form. Each step fits the window, has no serious axe
violation, and is saved as a screenshot under test-artifacts/screenshots/journey-<width>px/."""

import re

import pytest

from ..factories import make_user
from .accessibility import problems_at
from .conftest import SCREENSHOTS
from .test_every_page import PASSWORD, STANDUP, WIDTHS, log_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.worker,
]

NO_MODEL = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "REFLECT_PROVIDER": ""}


@pytest.mark.parametrize("width", WIDTHS)
def test_log_in_upload_collect_ask_read_and_follow_up_at_this_width(
    page, start_worker, start_web, tmp_path, width
):
    make_user("dana", password=PASSWORD)
    start_worker(env=NO_MODEL)
    web = start_web(env=NO_MODEL)
    page.set_viewport_size({"width": width, "height": 900})
    page.set_default_timeout(15_000)
    folder = SCREENSHOTS / f"journey-{width}px"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    found = []

    def step(name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        found.extend(problems_at(page, name=name))

    log_in(page, web.url, "dana")
    step("1-logged-in")

    transcript = tmp_path / "standup-2026-03-02.vtt"
    transcript.write_text(STANDUP)
    page.set_input_files("input[type=file]", str(transcript))
    page.wait_for_selector("tr[data-status=ready]", timeout=30_000)
    step("2-uploaded")

    # The section links stay on screen at every width: the journey moves through them.
    page.click("header nav >> text=Collections")
    page.fill("input[name=name]", "Q3 planning")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/collections/\d+/$"))
    page.check("input[name=documents]")
    page.click("text=Add selected")
    page.wait_for_selector("form[action$='/remove/'] input[name=documents]")
    step("3-collection")

    page.click("a[href*='/reflections/new/?'][href*='collection=']")
    page.wait_for_url(re.compile(r"/reflections/new/\?"))
    page.check("input[name=preset][value=blind_spots]")
    start = page.locator("#estimate button[name=start]")
    if not start.is_visible():
        page.click("#estimate button[name=estimate]")
    start.wait_for(timeout=10_000)
    assert "offline" in page.inner_text("#estimate").lower()
    step("4-ask-with-estimate")

    start.click()
    page.wait_for_url(re.compile(r"/reflections/\d+/$"))
    page.wait_for_selector("#reflection-body[data-status=succeeded]", timeout=30_000)
    page.wait_for_selector("article.finding")
    step("5-result")

    question = page.locator(".follow-ups a").first
    asked = question.inner_text().strip()
    question.click()
    page.wait_for_url(re.compile(r"/reflections/new/\?.*parent=\d+"))
    assert page.input_value("[name=question]") == asked
    page.locator("#estimate button[name=start]").wait_for(timeout=10_000)
    step("6-follow-up-ask-form")

    assert found == [], "\n".join(found)
    assert page.js_errors == []

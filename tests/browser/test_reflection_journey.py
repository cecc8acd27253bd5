"""In Chromium: upload, ask, watch it finish without reloading, get told, follow a quote home."""

import re

import pytest

from reflect.models import Document, Reflection

from ..factories import make_user
from ..stub_openai import StubOpenAI, answer, usage
from .conftest import screenshot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.worker,
]

TRANSCRIPT = """WEBVTT

00:00:01.000 --> 00:00:06.000
<v Dana>Welcome back. The vendor contract expires on the thirtieth and nobody has picked it up.

00:00:07.000 --> 00:00:12.000
<v Eli>Let's talk about the launch party instead.
"""


def model_env(stub) -> dict:
    return {
        "OPENAI_BASE_URL": stub.base_url,
        "OPENAI_API_KEY": "sk-test-browser",
        "REFLECT_PROVIDER": "",
        "REFLECT_MODEL": "gpt-5.6",
        "REFLECT_MAP_MODEL": "gpt-5.6",
        "REFLECT_RETRY_BACKOFF_SECONDS": "0",
    }


def test_upload_ask_watch_notify_and_open_the_quoted_passage(
    page, browser, start_worker, start_web, tmp_path
):
    make_user("dana", password="a-long-test-password")
    stub = StubOpenAI().start()
    try:
        env = model_env(stub)
        start_worker(env=env)
        web = start_web(env=env)

        page.goto(f"{web.url}/accounts/login/")
        page.fill("#id_username", "dana")
        page.fill("#id_password", "a-long-test-password")
        page.click("button[type=submit]")
        page.wait_for_url(f"{web.url}/")

        transcript = tmp_path / "standup-2026-03-02.vtt"
        transcript.write_text(TRANSCRIPT)
        page.set_input_files("input[type=file]", str(transcript))
        page.wait_for_selector("#upload-progress li.uploaded")
        page.wait_for_selector("tr[data-status=ready]", timeout=20_000)
        screenshot(page, "1-uploaded")

        document = Document.objects.get(owner__username="dana")
        quote = (
            "The vendor contract expires on the thirtieth and nobody has picked it up."
        )
        stub.script(
            answer(
                {
                    "summary": "A contract deadline has **no owner**.",
                    "findings": [
                        {
                            "title": "Vendor contract expiry is unowned",
                            "kind": "blind_spot",
                            "confidence": "high",
                            "observation": "Dana raised it; Eli moved on.",
                            "why_it_matters": "It lapses in days.",
                            "evidence": [{"document_id": document.pk, "quote": quote}],
                        }
                    ],
                    "follow_up_questions": ["Who renews the vendor contract?"],
                },
                usage_=usage(900, 300, cached_tokens=0, reasoning_tokens=120),
                delay=2.0,
            )
        )

        # A second tab elsewhere in the app, to see the bell change there.
        other = page.context.new_page()
        other.goto(f"{web.url}/collections/")
        assert other.get_attribute("#bell", "data-unread") == "0"

        page.goto(f"{web.url}/reflections/new/")
        page.click("text=or pick documents")
        page.check(f"input[name=documents][value='{document.pk}']")
        page.check("input[name=preset][value=blind_spots]")
        page.click("button[name=estimate]")
        page.wait_for_selector("#estimate dl")
        assert "one call" in page.inner_text("#estimate")
        screenshot(page, "2-estimate")
        page.click("button[name=start]")
        page.wait_for_url(re.compile(r"/reflections/\d+/$"))
        navigations = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))

        page.wait_for_selector(
            "#reflection-body[data-status=running], #reflection-body[data-status=succeeded]",
            timeout=20_000,
        )
        screenshot(page, "3-running")
        page.wait_for_selector("article.finding", timeout=20_000)
        assert navigations == [], "the result must appear without a reload"
        assert "Vendor contract expiry is unowned" in page.inner_text(
            "#reflection-body"
        )
        assert page.is_visible(".evidence .mark-verified")
        screenshot(page, "4-result")

        other.wait_for_selector("#bell[data-unread='1']", timeout=8_000)
        assert other.title().startswith("(1) ")
        screenshot(other, "5-bell")

        page.click("a.quote-link")
        page.wait_for_selector("mark#highlight")
        assert page.inner_text("mark#highlight") == quote
        assert page.evaluate(
            "() => { const r = document.querySelector('mark#highlight').getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= window.innerHeight; }"
        )
        screenshot(page, "6-highlighted")

        reflection = Reflection.objects.get()
        assert (
            reflection.status == "succeeded"
            and reflection.usage["reasoning_tokens"] == 120
        )
        assert page.js_errors == []
    finally:
        stub.stop()

"""In Chromium: the ask form opened from a document's page shows its estimate, and the
estimate and the Start button's price follow a change of effort without a reload."""

import pytest

from ..factories import make_document, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PRICED = {
    "OPENAI_API_KEY": "sk-test-browser-not-used",
    "OPENAI_BASE_URL": "",
    "REFLECT_PROVIDER": "openai",
    "REFLECT_MODEL": "gpt-5.6",
    "REFLECT_MAP_MODEL": "gpt-5.6",
}


def test_the_estimate_follows_the_form_without_a_reload(page, start_web):
    owner = make_user("dana", password="a-long-test-password")
    document = make_document(
        owner, title="Stand-up", text="Dana: the vendor contract.\n"
    )
    web = start_web(env=PRICED)
    page.goto(f"{web.url}/accounts/login/")
    page.fill("#id_username", "dana")
    page.fill("#id_password", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{web.url}/")

    page.goto(f"{web.url}{document.get_absolute_url()}")
    page.click("text=Ask about this document")
    page.fill("#id_question", "Who owns the vendor contract?")
    page.select_option("#id_effort", "low")
    page.wait_for_function(
        "() => document.querySelector('#estimate').innerText.includes('reasoning 500–4,000')"
    )
    low_label = page.inner_text("button[name=start]")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    page.select_option("#id_effort", "high")
    page.wait_for_function(
        "() => document.querySelector('#estimate').innerText.includes('reasoning 6,000–24,000')"
    )

    high_label = page.inner_text("button[name=start]")
    assert low_label.startswith("Start — about $") and high_label != low_label
    assert navigations == [] and page.js_errors == []

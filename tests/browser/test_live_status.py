"""live.js on its own: the browser notification names the question, and the reflection
page's live region changes only when the status line does."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

LIVE_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "live.js"
PAGE = """<!doctype html><html><body>
<p id="reflection-status" role="status" aria-live="polite"><span>Running</span> preparing</p>
<div id="reflection-body"><div hidden data-status-line><span>Running</span> preparing</div></div>
</body></html>"""


@pytest.fixture
def live(page):
    page.set_content(PAGE)
    page.add_script_tag(path=str(LIVE_JS))
    return page


def test_the_notification_names_the_question(live):
    text = live.evaluate(
        "window.reflectNotificationText({type: 'reflection', id: 3, status: 'succeeded',"
        " question: 'What is the most important…'})"
    )
    failed = live.evaluate(
        "window.reflectNotificationText({status: 'failed', question: 'Why?'})"
    )

    assert text == "Ready: What is the most important…"
    assert failed == "Failed: Why?"


def test_the_live_region_is_kept_and_rewritten_only_when_the_status_changes(live):
    region = live.locator("#reflection-status")
    region.evaluate("node => { node.dataset.original = 'yes'; }")
    writes = """() => new Promise(done => {
        const seen = [];
        new MutationObserver(m => seen.push(m.length))
          .observe(document.getElementById('reflection-status'), {childList: true, subtree: true});
        document.body.dispatchEvent(new CustomEvent('htmx:afterSwap', {bubbles: true}));
        setTimeout(() => done(seen.length), 50);
    })"""

    assert live.evaluate(writes) == 0, "the same status is not announced again"
    live.evaluate(
        "document.querySelector('[data-status-line]').innerHTML ="
        " '<span>Running</span> reading part 2 of 5'"
    )
    assert live.evaluate(writes) == 1
    assert region.inner_text() == "Running reading part 2 of 5"
    assert region.get_attribute("data-original") == "yes"

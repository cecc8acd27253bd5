"""In Chromium: the upload list follows each file to ready or failed without a reload, and
a file whose extraction fails shows its reason there."""

import re

import pytest

from reflect.models import Document

from ..factories import make_user
from .conftest import screenshot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.worker,
]


def test_the_upload_list_shows_ready_and_failed_with_the_reason(
    page, start_worker, start_web, tmp_path, corpus
):
    make_user("dana", password="a-long-test-password")
    start_worker()
    web = start_web()
    page.goto(f"{web.url}/accounts/login/")
    page.fill("#id_username", "dana")
    page.fill("#id_password", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{web.url}/")

    locked = tmp_path / "locked.pdf"
    locked.write_bytes(
        (corpus / "pdf/pypdf/libreoffice-writer-password.pdf").read_bytes()
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("Alice: the plan holds.\n")
    page.set_input_files("input[type=file]", [str(locked), str(notes)])

    failed = page.wait_for_selector("#upload-progress li.failed", timeout=20_000)
    assert "locked.pdf" in failed.inner_text()
    assert "encrypted PDF: a password is needed" in failed.inner_text()
    ready = page.wait_for_selector("#upload-progress li.uploaded", timeout=20_000)
    assert "notes.txt" in ready.inner_text() and "ready" in ready.inner_text()
    screenshot(page, "upload-follows-files")

    # Ticked rows survive the table's live refresh and go to the ask form as ids.
    notes_id = Document.objects.get(original_name="notes.txt").pk
    page.check(f"#select-{notes_id}")
    page.evaluate(
        "htmx.ajax('GET', '/', {target: '#document-table', swap: 'outerHTML'})"
    )
    page.wait_for_timeout(1000)
    assert page.is_checked(f"#select-{notes_id}")
    page.click("text=Ask about selected")
    page.wait_for_url(re.compile(rf"/reflections/new/\?documents={notes_id}$"))
    assert page.js_errors == []

"""Every page of the app is served with a Content-Security-Policy that allows only its own
scripts and styles; no template carries an inline script or event handler it would block.
(The browser tests fail on any violation Chromium reports.)"""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    "path",
    ["/", "/documents/", "/reflections/", "/reflections/new/", "/accounts/settings/"],
)
def test_pages_forbid_inline_scripts_and_other_origins(client, owner, path):
    policy = client.get(path)["Content-Security-Policy"]

    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_the_log_in_page_has_the_policy_too(client):
    assert (
        "default-src 'self'"
        in client.get("/accounts/login/")["Content-Security-Policy"]
    )


def test_no_template_has_an_inline_script_or_handler():
    offending = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
            r"\son[a-z]+\s*=", text
        ):
            offending.append(template.name)
    assert offending == []

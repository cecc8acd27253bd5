"""The document page shows facts and the text exactly as the model will read it, with locators."""

import pytest

from ..factories import make_document, make_user

pytestmark = pytest.mark.django_db


def test_the_page_shows_counts_speakers_and_text_blocks_with_cue_locators(client):
    owner = make_user()
    text = "[00:00:01] Ann: We ship Friday.\n\n[00:00:05] Bo: Not without QA."
    document = make_document(
        owner,
        kind="vtt",
        text=text,
        tokens=17,
        speakers=["Ann", "Bo"],
        segments=[
            {
                "start": 0,
                "end": 31,
                "time": "00:00:01",
                "seconds": 1.0,
                "speaker": "Ann",
            },
            {
                "start": 33,
                "end": len(text),
                "time": "00:00:05",
                "seconds": 5.0,
                "speaker": "Bo",
            },
        ],
    )
    client.force_login(owner)

    page = client.get(f"/documents/{document.pk}/").content.decode()

    assert "Ann, Bo" in page
    assert "17" in page
    assert 'id="at-33"' in page
    assert "00:00:05 · Bo" in page
    assert "Not without QA." in page


def test_document_text_is_escaped(client):
    owner = make_user()
    document = make_document(owner, text="<script>alert(1)</script>")
    client.force_login(owner)

    page = client.get(f"/documents/{document.pk}/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_a_pending_document_polls_for_its_status_and_a_finished_one_does_not(client):
    owner = make_user()
    pending = make_document(owner, title="P", status="pending", text="", segments=[])
    ready = make_document(owner, title="R")
    client.force_login(owner)

    assert (
        'hx-trigger="every 1s"'
        in client.get(f"/documents/{pending.pk}/").content.decode()
    )
    assert (
        'hx-trigger="every 1s"'
        not in client.get(f"/documents/{ready.pk}/").content.decode()
    )


def test_the_list_fragment_polls_while_extraction_is_unfinished(client):
    owner = make_user()
    document = make_document(owner, status="extracting", text="", segments=[])
    client.force_login(owner)

    fragment = client.get("/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="document-table"')
    assert 'hx-trigger="every 1s"' in fragment

    document.status = "failed"
    document.error = "empty file"
    document.save()
    fragment = client.get("/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment
    assert "empty file" in fragment


def test_a_quoted_passage_is_highlighted_where_it_sits(client):
    owner = make_user()
    text = "Alice: the budget is fine.\n\nBob: the vendor contract expires in March."
    document = make_document(
        owner,
        text=text,
        segments=[
            {"start": 0, "end": 26, "line": 1},
            {"start": 28, "end": len(text), "line": 3},
        ],
    )
    client.force_login(owner)
    start = text.index("vendor contract")

    page = client.get(
        f"/documents/{document.pk}/?hl={start}-{start + 15}"
    ).content.decode()

    assert (
        'Bob: the <mark id="highlight">vendor contract</mark> expires in March.' in page
    )
    assert page.count("<mark") == 1

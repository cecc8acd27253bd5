"""The document page shows a bounded piece of a long text, with previous and next links, and a
link to a quoted passage opens the piece that holds it."""

import re

import pytest

from reflect.views.documents import PAGE_BLOCKS, PAGE_CHARS

from ..factories import make_document, make_user

pytestmark = pytest.mark.django_db


def long_document(owner, *, blocks: int = 3_000):
    lines = [
        f"Speaker {n % 7}: item {n:05d} of the long meeting, discussed."
        for n in range(blocks)
    ]
    text = "\n\n".join(lines)
    segments, start = [], 0
    for number, line in enumerate(lines):
        segments.append(
            {"start": start, "end": start + len(line), "line": 2 * number + 1}
        )
        start += len(line) + 2
    return make_document(owner, text=text, segments=segments), text


def test_a_long_document_shows_one_bounded_page_with_a_next_link(client):
    owner = make_user()
    document, _ = long_document(owner)
    client.force_login(owner)

    page = client.get(f"/documents/{document.pk}/").content.decode()

    assert page.count('class="block"') == PAGE_BLOCKS
    assert "item 00000 " in page and f"item {PAGE_BLOCKS:05d} " not in page
    assert 'href="?page=2#extracted-text"' in page
    assert 'rel="prev"' not in page
    assert re.search(r"Page 1 of 6\b", page)
    assert len(page) < 300_000


def test_the_next_page_continues_where_the_first_ended(client):
    owner = make_user()
    document, _ = long_document(owner)
    client.force_login(owner)

    page = client.get(f"/documents/{document.pk}/?page=2").content.decode()

    assert f"item {PAGE_BLOCKS - 1:05d} " not in page
    assert f"item {PAGE_BLOCKS:05d} " in page
    assert 'href="?page=1#extracted-text"' in page
    assert 'href="?page=3#extracted-text"' in page


def test_a_link_to_a_passage_on_a_later_page_opens_that_page_highlighted(client):
    owner = make_user()
    document, text = long_document(owner)
    client.force_login(owner)
    start = text.index("item 02712 ")

    page = client.get(
        f"/documents/{document.pk}/?hl={start}-{start + 10}"
    ).content.decode()

    assert '<mark id="highlight">item 02712</mark>' in page
    assert re.search(r"Page 6 of 6\b", page)
    # Moving away and back keeps the passage marked.
    assert f'href="?page=5&amp;hl={start}-{start + 10}#extracted-text"' in page


def test_one_enormous_block_is_cut_into_pages(client):
    owner = make_user()
    text = "word " * 400_000  # 2,000,000 characters without a blank line
    document = make_document(owner, text=text)
    client.force_login(owner)

    first = client.get(f"/documents/{document.pk}/").content.decode()
    last = client.get(f"/documents/{document.pk}/?page=999").content.decode()

    assert len(first) < PAGE_CHARS + 50_000
    assert (
        re.search(r"Page 1 of \d+", first) and 'href="?page=2#extracted-text"' in first
    )
    assert len(last) < PAGE_CHARS + 50_000
    assert 'href="?page=2#extracted-text"' not in last


def test_a_nonsense_page_number_shows_the_first_page(client):
    owner = make_user()
    document, _ = long_document(owner)
    client.force_login(owner)

    page = client.get(f"/documents/{document.pk}/?page=abc").content.decode()

    assert "item 00000 " in page


def test_the_status_poll_does_not_render_the_text(client):
    owner = make_user()
    document, _ = long_document(owner)
    client.force_login(owner)

    fragment = client.get(f"/documents/{document.pk}/", HTTP_HX_REQUEST="true")

    assert b"item 00000" not in fragment.content
    assert b'id="document-status"' in fragment.content

"""Ask from where you are: a collection's page and a ready document's page link to the ask
form filled in with them."""

import re

import pytest

from reflect.models import Collection

from ..factories import make_document
from .ask_page import checked, page, selected

pytestmark = pytest.mark.django_db


def ask_link(html: str, label: str) -> str:
    link = re.search(rf'<a class="button" href="([^"]*)">{label}</a>', html)
    assert link, f"no “{label}” link"
    return link[1].replace("&amp;", "&")


def test_a_collection_page_asks_about_the_collection(client, owner):
    collection = Collection.objects.create(owner=owner, name="Q3")
    collection.documents.add(make_document(owner))

    html = client.get(collection.get_absolute_url()).content.decode()
    link = ask_link(html, "Ask about this collection")

    assert link == f"/reflections/new/?collection={collection.pk}"
    assert selected(
        page(client, link.removeprefix("/reflections/new/")), "collection"
    ) == (str(collection.pk))


def test_a_ready_document_page_asks_about_the_document(client, owner):
    document = make_document(owner)

    html = client.get(document.get_absolute_url()).content.decode()
    link = ask_link(html, "Ask about this document")

    assert link == f"/reflections/new/?documents={document.pk}"
    assert checked(
        page(client, link.removeprefix("/reflections/new/")), "documents"
    ) == [str(document.pk)]


def test_a_document_still_being_read_offers_no_ask(client, owner):
    document = make_document(owner, status="processing")

    html = client.get(document.get_absolute_url()).content.decode()

    assert "Ask about this document" not in html

"""Ids and numbers in query strings and forms are ASCII digits that fit an integer:
"²" (a digit to str.isdigit, refused by int) or a 20-digit number is ignored, never a 500."""

import pytest

from reflect.views.documents import parse_range

from ..factories import make_document

pytestmark = pytest.mark.django_db

ODD = ["²", "٣", "99999999999999999999999"]


@pytest.mark.parametrize("odd", ODD)
def test_the_upload_status_ignores_an_odd_id(client, owner, odd):
    document = make_document(owner, title="Notes", text="Alice: hello.")

    response = client.get("/documents/status/", {"id": [odd, str(document.pk)]})

    assert response.status_code == 200
    assert [d["id"] for d in response.json()["documents"]] == [document.pk]


@pytest.mark.parametrize("odd", ODD)
def test_adding_a_selection_to_an_odd_collection_is_no_error(client, owner, odd):
    document = make_document(owner, title="Notes", text="Alice: hello.")

    response = client.post(
        "/documents/collect/", {"documents": [document.pk], "to_collection": odd}
    )

    assert response.status_code < 500


@pytest.mark.parametrize("odd", ODD)
def test_an_odd_highlight_range_or_page_is_ignored(client, owner, odd):
    document = make_document(owner, title="Notes", text="Alice: hello.")

    assert parse_range(f"{odd}-5") is None
    for query in (f"?hl={odd}-5", f"?hl=1-{odd}", f"?page={odd}"):
        assert client.get(f"{document.get_absolute_url()}{query}").status_code == 200

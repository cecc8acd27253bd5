"""Collections through the API: create, list, read, rename, delete, add and remove documents."""

import pytest

from reflect.models import Collection, Document

from ..factories import make_document
from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_a_collection_is_created_read_renamed_and_deleted_keeping_its_documents(
    api, api_user
):
    document = make_document(api_user)

    created = api.post("/api/collections/", {"name": "  Q3 planning "})
    assert created.status_code == 201
    collection = created.json()
    assert collection["name"] == "Q3 planning" and collection["document_ids"] == []

    added = api.post(
        f"/api/collections/{collection['id']}/documents/",
        {"document_ids": [document.pk]},
    )
    assert added.status_code == 200 and added.json()["document_ids"] == [document.pk]

    renamed = api.patch(collection["url"], {"name": "Q4 planning"})
    assert renamed.json()["name"] == "Q4 planning"
    assert api.get(collection["url"]).json()["document_ids"] == [document.pk]

    assert (
        api.delete(
            f"/api/collections/{collection['id']}/documents/{document.pk}/"
        ).status_code
        == 204
    )
    assert api.get(collection["url"]).json()["document_ids"] == []

    assert api.delete(collection["url"]).status_code == 204
    assert not Collection.objects.exists()
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_second_collection_with_the_same_name_answers_409(api, api_user):
    Collection.objects.create(owner=api_user, name="Q3")
    other = Collection.objects.create(owner=api_user, name="Q4")

    error = assert_error(
        api.post("/api/collections/", {"name": "Q3"}), 409, "name_taken"
    )
    assert "Q3" in error["message"]
    assert_error(
        api.patch(f"/api/collections/{other.pk}/", {"name": "Q3"}), 409, "name_taken"
    )


def test_someone_elses_name_is_free_for_me(api, stranger):
    Collection.objects.create(owner=stranger, name="Q3")

    assert api.post("/api/collections/", {"name": "Q3"}).status_code == 201


@pytest.mark.parametrize("name", ["", "   ", "x" * 201, "bad\x00name"])
def test_a_blank_overlong_or_nul_name_answers_422(api, name):
    assert_error(api.post("/api/collections/", {"name": name}), 422, "invalid")
    assert not Collection.objects.exists()


def test_a_name_of_spaces_answers_422_with_the_services_reason(api):
    error = assert_error(api.post("/api/collections/", {"name": "   "}), 422, "invalid")

    assert error["message"] == "A collection needs a name."
    assert error["details"] == {"field": "name"}


def test_adding_a_document_that_is_not_mine_adds_nothing_and_names_it(
    api, api_user, stranger
):
    mine = make_document(api_user, title="mine")
    theirs = make_document(stranger, title="theirs")
    collection = Collection.objects.create(owner=api_user, name="Q3")

    error = assert_error(
        api.post(
            f"/api/collections/{collection.pk}/documents/",
            {"document_ids": [mine.pk, theirs.pk]},
        ),
        404,
        "not_found",
    )

    assert error["details"] == {"document_ids": [theirs.pk]}
    assert not collection.documents.exists()


def test_removing_a_document_that_is_not_in_the_collection_answers_404(api, api_user):
    document = make_document(api_user)
    collection = Collection.objects.create(owner=api_user, name="Q3")

    assert_error(
        api.delete(f"/api/collections/{collection.pk}/documents/{document.pk}/"),
        404,
        "not_found",
    )

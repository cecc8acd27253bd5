"""Collections: create, rename, delete, add and remove documents; one document in many."""

import pytest

from reflect.models import Collection

from ..factories import make_document, make_user

pytestmark = pytest.mark.django_db


def test_creating_a_collection_opens_it(client, owner):
    response = client.post("/collections/", {"name": "  Q3 planning "})

    collection = Collection.objects.get(owner=owner)
    assert collection.name == "Q3 planning"
    assert response["Location"] == f"/collections/{collection.pk}/"


def test_two_collections_of_one_person_cannot_share_a_name(client, owner):
    Collection.objects.create(owner=owner, name="Q3")

    response = client.post("/collections/", {"name": "Q3"})

    assert response.status_code == 200
    assert "You already have a collection named “Q3”." in response.content.decode()
    assert Collection.objects.count() == 1


def test_a_rename_to_a_taken_or_blank_name_keeps_the_old_name_and_says_why(
    client, owner
):
    Collection.objects.create(owner=owner, name="Q3")
    collection = Collection.objects.create(owner=owner, name="Q4")

    taken = client.post(
        f"/collections/{collection.pk}/rename/", {"name": " Q3 "}, follow=True
    )
    blank = client.post(
        f"/collections/{collection.pk}/rename/", {"name": "   "}, follow=True
    )

    assert "You already have a collection named “Q3”." in taken.content.decode()
    assert "This field is required." in blank.content.decode()
    assert Collection.objects.get(pk=collection.pk).name == "Q4"


def test_rename_and_delete_keep_the_documents(client, owner):
    document = make_document(owner)
    collection = Collection.objects.create(owner=owner, name="Old")
    collection.documents.add(document)

    client.post(f"/collections/{collection.pk}/rename/", {"name": "New"})
    assert Collection.objects.get(pk=collection.pk).name == "New"

    client.post(f"/collections/{collection.pk}/delete/")
    assert not Collection.objects.exists()
    assert document.__class__.objects.filter(pk=document.pk).exists()


def test_a_document_can_be_in_many_collections_and_removed_from_one(client, owner):
    document = make_document(owner)
    first = Collection.objects.create(owner=owner, name="A")
    second = Collection.objects.create(owner=owner, name="B")

    for collection in (first, second):
        client.post(f"/collections/{collection.pk}/add/", {"documents": [document.pk]})
    client.post(f"/collections/{first.pk}/remove/", {"documents": [document.pk]})

    assert list(first.documents.all()) == []
    assert list(second.documents.all()) == [document]


def test_another_persons_document_cannot_be_added(client, owner):
    theirs = make_document(make_user("other"), title="Theirs")
    collection = Collection.objects.create(owner=owner, name="Mine")

    client.post(f"/collections/{collection.pk}/add/", {"documents": [theirs.pk]})

    assert not collection.documents.exists()

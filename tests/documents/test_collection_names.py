"""The collection name rule, in the service every caller goes through: stripped, not blank,
at most 200 characters, no NUL, unique per owner."""

import pytest

from reflect import collections as service
from reflect.models import Collection

from ..factories import make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    return make_user("ada")


def test_a_name_is_stored_stripped(ada):
    collection = service.create_collection(owner=ada, name="  Q3 planning ")

    assert Collection.objects.get(pk=collection.pk).name == "Q3 planning"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "A collection needs a name."),
        ("  \t ", "A collection needs a name."),
        ("x" * 201, "A collection name is at most 200 characters."),
        ("bad\x00name", "A collection name cannot hold NUL characters."),
    ],
)
def test_a_blank_overlong_or_nul_name_is_refused(ada, name, message):
    with pytest.raises(service.CollectionNameError) as refused:
        service.create_collection(owner=ada, name=name)

    assert (refused.value.message, refused.value.taken) == (message, False)
    assert not Collection.objects.exists()


def test_a_name_of_exactly_200_characters_is_accepted(ada):
    assert service.create_collection(owner=ada, name="x" * 200).name == "x" * 200


def test_one_owner_cannot_use_a_name_twice_but_another_owner_can(ada):
    service.create_collection(owner=ada, name="Q3")

    with pytest.raises(service.CollectionNameError) as refused:
        service.create_collection(owner=ada, name=" Q3 ")

    assert refused.value.taken
    assert str(refused.value) == "You already have a collection named “Q3”."
    assert service.create_collection(owner=make_user("bob"), name="Q3").name == "Q3"


def test_a_rename_follows_the_same_rule_and_may_keep_its_own_name(ada):
    service.create_collection(owner=ada, name="Q3")
    collection = service.create_collection(owner=ada, name="Q4")

    for name in ["Q3", "   "]:
        with pytest.raises(service.CollectionNameError):
            service.rename_collection(collection=collection, name=name)

    assert service.rename_collection(collection=collection, name=" Q4 ").name == "Q4"
    assert service.rename_collection(collection=collection, name="Q5").name == "Q5"
    assert Collection.objects.get(pk=collection.pk).name == "Q5"


def test_a_refused_rename_leaves_the_collection_as_it_was(ada):
    service.create_collection(owner=ada, name="Q3")
    collection = service.create_collection(owner=ada, name="Q4")

    with pytest.raises(service.CollectionNameError):
        service.rename_collection(collection=collection, name="Q3")

    assert collection.name == "Q4"


def test_collection_named_reuses_the_owners_collection_or_creates_it(ada):
    first = service.collection_named(owner=ada, name=" Inbox ")

    assert service.collection_named(owner=ada, name="Inbox") == first
    assert first.name == "Inbox" and Collection.objects.count() == 1
    with pytest.raises(service.CollectionNameError):
        service.collection_named(owner=ada, name=" ")


def test_deleting_a_collection_keeps_its_documents(ada):
    document = make_document(ada)
    collection = service.create_collection(owner=ada, name="Q3")
    service.add_to_collection(collection=collection, document_ids=[document.pk])

    service.delete_collection(collection=collection)

    assert not Collection.objects.exists()
    assert document.__class__.objects.filter(pk=document.pk).exists()

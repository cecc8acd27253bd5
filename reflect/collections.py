"""Verbs on collections: create, rename, delete, and add or remove documents.

The name rule lives here, so the pages, the API and the commands refuse the same names: a
name is stripped, not blank, at most MAX_NAME_CHARS, holds no NUL, and is unique per owner.
"""

from django.db import IntegrityError, transaction

from .models import Collection, Document, User

MAX_NAME_CHARS = Collection._meta.get_field("name").max_length


class CollectionNameError(ValueError):
    """The name cannot be used; the message is for the person. `taken` is True when another
    collection of the owner holds the name (the API answers 409 then, 422 otherwise)."""

    def __init__(self, message: str, *, taken: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.taken = taken


def _taken(name: str) -> CollectionNameError:
    return CollectionNameError(
        f"You already have a collection named “{name}”.", taken=True
    )


def clean_name(*, owner_id: int, name: str, renaming: Collection | None = None) -> str:
    """The name stripped, or CollectionNameError."""
    name = name.strip()
    if not name:
        raise CollectionNameError("A collection needs a name.")
    if len(name) > MAX_NAME_CHARS:
        raise CollectionNameError(
            f"A collection name is at most {MAX_NAME_CHARS} characters."
        )
    if "\x00" in name:
        raise CollectionNameError("A collection name cannot hold NUL characters.")
    others = Collection.objects.filter(owner=owner_id, name=name)
    if renaming is not None:
        others = others.exclude(pk=renaming.pk)
    if others.exists():
        raise _taken(name)
    return name


def create_collection(*, owner: User, name: str) -> Collection:
    name = clean_name(owner_id=owner.pk, name=name)
    try:
        with transaction.atomic():
            return Collection.objects.create(owner=owner, name=name)
    except IntegrityError:
        # Created under the same name by another request since the check; that one won.
        raise _taken(name) from None


def collection_named(*, owner: User, name: str) -> Collection:
    """The owner's collection of this name, created if there is none."""
    existing = Collection.objects.filter(owner=owner, name=name.strip()).first()
    if existing is not None:
        return existing
    try:
        return create_collection(owner=owner, name=name)
    except CollectionNameError as error:
        if not error.taken:
            raise
        return Collection.objects.get(owner=owner, name=name.strip())


def rename_collection(*, collection: Collection, name: str) -> Collection:
    name = clean_name(owner_id=collection.owner_id, name=name, renaming=collection)
    previous, collection.name = collection.name, name
    try:
        with transaction.atomic():
            collection.save(update_fields=["name"])
    except IntegrityError:
        collection.name = previous
        raise _taken(name) from None
    return collection


def delete_collection(*, collection: Collection) -> None:
    """Delete the collection; its documents are kept (and its schedules go with it)."""
    collection.delete()


def add_to_collection(*, collection: Collection, document_ids: list[int]) -> int:
    """Add the owner's documents with these ids; ids of other people's documents are ignored."""
    documents = Document.objects.filter(owner=collection.owner_id, pk__in=document_ids)
    collection.documents.add(*documents)
    return len(documents)


def remove_from_collection(*, collection: Collection, document_ids: list[int]) -> None:
    collection.documents.remove(*collection.documents.filter(pk__in=document_ids))

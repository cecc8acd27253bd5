"""Collections: create, list, read, rename, delete, and add or remove documents."""

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Header, Router, Status
from ninja.pagination import paginate

from .. import collections as service
from .. import idempotency
from ..models import Collection, Document
from .errors import ApiError
from .responses import answers
from .schemas import CollectionIn, CollectionOut, DocumentIdsIn, Id, Page

router = Router(tags=["collections"])


def owned(request: HttpRequest, collection_id: int) -> Collection:
    return get_object_or_404(
        Collection.objects.prefetch_related("documents"),
        pk=collection_id,
        owner=request.auth,
    )


@router.get("/", response=answers({200: list[CollectionOut]}), url_name="collections")
@paginate(Page)
def list_collections(request: HttpRequest) -> QuerySet[Collection]:
    return Collection.objects.filter(owner=request.auth).prefetch_related("documents")


@router.post("/", response=answers({201: CollectionOut}, 409))
def create_collection(
    request: HttpRequest,
    payload: CollectionIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key")] = "",
) -> Status:
    """Create a collection. With an `Idempotency-Key`, the same request again returns the
    collection the first one made; the same key with another body is a 409."""
    created = idempotency.create_once(
        owner=request.auth,
        scope="api:collections.create",
        key=idempotency_key,
        body=payload.model_dump_json(),
        create=lambda: (
            service.create_collection(owner=request.auth, name=payload.name).pk,
            201,
        ),
    )
    return Status(created.status_code, owned(request, created.object_id))


@router.get(
    "/{int:collection_id}/",
    response=answers({200: CollectionOut}, 404),
    url_name="collection",
)
def get_collection(request: HttpRequest, collection_id: Id) -> Collection:
    return owned(request, collection_id)


@router.patch("/{int:collection_id}/", response=answers({200: CollectionOut}, 404, 409))
def rename_collection(
    request: HttpRequest, collection_id: Id, payload: CollectionIn
) -> Collection:
    collection = owned(request, collection_id)
    return service.rename_collection(collection=collection, name=payload.name)


@router.delete("/{int:collection_id}/", response=answers({204: None}, 404))
def delete_collection(request: HttpRequest, collection_id: Id) -> Status:
    """Delete the collection; its documents are kept."""
    service.delete_collection(collection=owned(request, collection_id))
    return Status(204, None)


@router.post(
    "/{int:collection_id}/documents/",
    response=answers({200: CollectionOut}, 404),
    url_name="collection-documents",
)
def add_documents(
    request: HttpRequest, collection_id: Id, payload: DocumentIdsIn
) -> Collection:
    """Add your documents to the collection; ids that are not yours answer 404 and add nothing."""
    collection = owned(request, collection_id)
    wanted = set(payload.document_ids)
    found = set(
        Document.objects.filter(owner=request.auth, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if wanted - found:
        missing = ", ".join(str(pk) for pk in sorted(wanted - found))
        raise ApiError(
            404,
            f"documents not found: {missing}",
            details={"document_ids": sorted(wanted - found)},
        )
    service.add_to_collection(collection=collection, document_ids=sorted(found))
    return owned(request, collection_id)


@router.delete(
    "/{int:collection_id}/documents/{int:document_id}/",
    response=answers({204: None}, 404),
    url_name="collection-document",
)
def remove_document(request: HttpRequest, collection_id: Id, document_id: Id) -> Status:
    """Take a document out of the collection (the document itself is kept)."""
    collection = owned(request, collection_id)
    if not collection.documents.filter(pk=document_id).exists():
        raise ApiError(404, "that document is not in this collection")
    service.remove_from_collection(collection=collection, document_ids=[document_id])
    return Status(204, None)

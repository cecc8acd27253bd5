"""Documents: upload several files at once (extraction is queued), list, read, delete."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from .. import collections, uploads
from .. import documents as service
from ..models import Collection, Document
from .errors import ApiError
from .responses import answers
from .schemas import (
    DocumentDetailOut,
    DocumentOut,
    DocumentStatus,
    Id,
    Page,
    UploadOut,
)

router = Router(tags=["documents"])


class DocumentFilters(Schema):
    status: DocumentStatus | None = None


@router.get("/", response=answers({200: list[DocumentOut]}), url_name="documents")
@paginate(Page)
def list_documents(
    request: HttpRequest, filters: Query[DocumentFilters]
) -> QuerySet[Document]:
    documents = Document.objects.filter(owner=request.auth).defer("text", "segments")
    if filters.status:
        documents = documents.filter(status=filters.status)
    return documents


@router.post("/", response=answers({202: UploadOut}, 404, 413))
def upload_documents(
    request: HttpRequest,
    files: File[list[UploadedFile]] = None,
    collection_id: Form[Id | None] = None,
) -> Status:
    """Store each file and queue its extraction; each file's outcome is in `results`.

    202 when at least one file was accepted (created or already there): poll each document's
    `url` until its status is ready or failed. When every file is refused: 413 if they were all
    too large, else 422, with the outcomes in `error.details.results`.
    """
    collection = (
        get_object_or_404(Collection, pk=collection_id, owner=request.auth)
        if collection_id
        else None
    )
    files = files or []
    # Files dropped while streaming in for being over the size limit (reflect/uploads.py).
    refused = [
        service.refused_while_streaming(name)
        for name in uploads.refused_uploads(request)
    ]
    if not files and not refused:
        raise ApiError(422, "send at least one file in the multipart field `files`")
    if len(files) + len(refused) > settings.REFLECT_MAX_FILES_PER_UPLOAD:
        raise ApiError(
            413,
            f"too many files: at most {settings.REFLECT_MAX_FILES_PER_UPLOAD} at once",
        )
    outcomes = refused + [
        service.upload_file(owner=request.auth, uploaded=uploaded) for uploaded in files
    ]
    results = [outcome.as_json(url=DocumentOut.resolve_url) for outcome in outcomes]
    accepted = [r["document_id"] for r in results if r["ok"]]
    if collection is not None and accepted:
        collections.add_to_collection(collection=collection, document_ids=accepted)
    if not accepted:
        raise ApiError(
            413 if all(o.too_large for o in outcomes) else 422,
            "no file was accepted: "
            + "; ".join(f"{r['name']}: {r['error']}" for r in results),
            code="upload_rejected",
            details={"results": results},
        )
    return Status(
        202,
        {
            "results": results,
            "created": sum(r["outcome"] == "created" for r in results),
            "duplicates": sum(r["outcome"] == "duplicate" for r in results),
            "rejected": sum(r["outcome"] == "rejected" for r in results),
        },
    )


@router.get(
    "/{int:document_id}/",
    response=answers({200: DocumentDetailOut}, 404),
    url_name="document",
)
def get_document(request: HttpRequest, document_id: Id) -> Document:
    """The document with its extracted text (empty until status is ready)."""
    return get_object_or_404(
        Document.objects.prefetch_related("collections"),
        pk=document_id,
        owner=request.auth,
    )


@router.delete("/{int:document_id}/", response=answers({204: None}, 404))
def delete_document(request: HttpRequest, document_id: Id) -> Status:
    document = get_object_or_404(Document, pk=document_id, owner=request.auth)
    service.delete_document(document=document)
    return Status(204, None)

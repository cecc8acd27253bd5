"""Verbs on documents: upload, extract, delete. Collections are reflect/collections.py."""

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from billiard.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import dispatch, events
from .extraction import ExtractionError, Limits, detect_kind, extract
from .models import Collection, Document, User
from .reasoning.token_counts import count_tokens
from .uploads import UNNAMED, too_large_message

logger = logging.getLogger(__name__)
MAX_FILENAME_CHARS = 200


class UploadRejected(Exception):
    """A file was refused before it was stored; the message is for the person."""


@dataclass(frozen=True)
class Upload:
    document: Document
    created: bool


def clean_filename(name: str) -> str:
    """The last path component of `name`, without control characters, at most 200 chars;
    a long name loses the end of its stem, never its extension (the kind is read from it)."""
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().strip(".")
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= 16:
            keep = MAX_FILENAME_CHARS - len(extension) - 1
            name = f"{stem[:keep].rstrip()}.{extension}"
        else:
            name = name[:MAX_FILENAME_CHARS]
    return name or "untitled"


def title_from_filename(name: str) -> str:
    stem = PurePosixPath(name).stem or name
    return re.sub(r"[_]+", " ", stem).strip() or name


def upload_document(*, owner: User, filename: str, data: bytes) -> Upload:
    """Store an uploaded file and queue its extraction; the same bytes twice give the first document."""
    upload = store_document(owner=owner, filename=filename, data=data)
    if upload.created:
        # Never raises: with Redis down the document stays pending and the sweep sends it later.
        dispatch.send_on_commit(dispatch.EXTRACT_DOCUMENT, upload.document.pk)
    return upload


def ingest_document(*, owner: User, filename: str, data: bytes) -> Upload:
    """Store a file and extract it in this process (the `ingest` command; no worker needed).

    A duplicate that never finished extracting (its worker is gone) is extracted here too.
    """
    upload = store_document(owner=owner, filename=filename, data=data)
    if not upload.document.is_finished:
        extract_document(document_id=upload.document.pk)
        upload.document.refresh_from_db()
    return upload


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file of a multipart upload: `upload`, or the `error` for the person."""

    name: str
    upload: Upload | None = None
    error: str = ""
    too_large: bool = False

    @property
    def outcome(self) -> str:
        if self.upload is None:
            return "rejected"
        return "created" if self.upload.created else "duplicate"

    def as_json(self, *, url: Callable[[Document], str]) -> dict:
        """The one shape of a file's outcome, for the upload page, the upload URL and the
        API alike; `url` is where that interface shows the document."""
        document = self.upload.document if self.upload is not None else None
        return {
            "name": self.name,
            "outcome": self.outcome,
            "ok": document is not None,
            "error": self.error,
            "document_id": document.pk if document else None,
            "status": document.status if document else None,
            "url": url(document) if document else None,
        }


def refused_while_streaming(name: str) -> FileOutcome:
    """A file the upload handler dropped for its size before the view saw it."""
    return FileOutcome(
        name=clean_filename(name), error=too_large_message(), too_large=True
    )


def upload_file(
    *, owner: User, uploaded: UploadedFile, collection: Collection | None = None
) -> FileOutcome:
    """One uploaded file (page, upload URL, API): refused before reading when too large, else
    stored, queued and, with `collection`, added to it in the same transaction."""
    if not uploaded.name or uploaded.name == UNNAMED:
        return FileOutcome(
            name=UNNAMED,
            error="the file has no usable name: rename it (e.g. notes.txt) and upload it again",
        )
    name = clean_filename(uploaded.name)
    try:
        # Checked before reading, so an oversized file is never loaded into memory.
        check_upload_size(uploaded.size)
        with transaction.atomic():
            upload = upload_document(owner=owner, filename=name, data=uploaded.read())
            if collection is not None:
                collection.documents.add(upload.document)
    except UploadRejected as error:
        too_large = uploaded.size > settings.REFLECT_MAX_UPLOAD_BYTES
        return FileOutcome(name=name, error=str(error), too_large=too_large)
    return FileOutcome(name=name, upload=upload)


def check_upload_size(size: int) -> None:
    """Refuse a file over the upload limit; callers with a size in hand check before reading."""
    if size > settings.REFLECT_MAX_UPLOAD_BYTES:
        raise UploadRejected(
            f"file too large: {size / 1e6:.1f} MB (the limit is "
            f"{settings.REFLECT_MAX_UPLOAD_BYTES / 1e6:.0f} MB)"
        )


def store_document(*, owner: User, filename: str, data: bytes) -> Upload:
    filename = clean_filename(filename)
    check_upload_size(len(data))
    try:
        kind = detect_kind(data, filename=filename)
    except ExtractionError as error:
        raise UploadRejected(str(error)) from None
    sha256 = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(owner=owner, sha256=sha256).first()
    if existing:
        return Upload(document=existing, created=False)
    document = Document(
        owner=owner,
        title=title_from_filename(filename),
        original_name=filename,
        kind=kind,
        size=len(data),
        sha256=sha256,
    )
    try:
        with transaction.atomic():
            document.file.save(filename, ContentFile(data), save=False)
            document.save()
    except IntegrityError:
        # The same bytes arrived twice at once: the other request won.
        document.file.delete(save=False)
        return Upload(
            document=Document.objects.get(owner=owner, sha256=sha256), created=False
        )
    return Upload(document=document, created=True)


def extract_document(*, document_id: int) -> Document | None:
    """Extract the text of one document, recording ready or failed with a specific reason.

    Claims the document with a conditional UPDATE, so a duplicate delivery of the task does
    nothing once the first finished. A document left "extracting" by a dead worker is claimed
    again.
    """
    claim = _claim_extraction(document_id)
    if claim is None:
        return None
    document = Document.objects.get(pk=document_id)
    if claim == "stopped twice":
        return fail_extraction(document, STOPPED_TWICE)
    events.publish(document.owner_id, document_event(document))
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
        extraction = extract(
            data, filename=document.original_name, limits=extraction_limits()
        )
    except ExtractionError as error:
        return fail_extraction(document, str(error))
    except SoftTimeLimitExceeded:
        return fail_extraction(
            document,
            f"extraction took too long (over {settings.REFLECT_EXTRACTION_SOFT_TIME_LIMIT} s)",
        )
    except FileNotFoundError:
        return fail_extraction(document, "the stored original is missing")
    # Reading the stored file; inside extract() a MemoryError has a message of its own.
    except MemoryError:
        return fail_extraction(document, OUT_OF_MEMORY)
    except Exception:
        logger.exception("extraction of document %s failed unexpectedly", document_id)
        return fail_extraction(document, "internal error while reading this file")
    try:
        return _record_extraction(
            document,
            kind=extraction.kind,
            text=extraction.text,
            segments=extraction.segments,
            pages=extraction.pages,
            speakers=extraction.speakers,
            meeting_date=extraction.meeting_date,
            words=len(extraction.text.split()),
            tokens=count_tokens(extraction.text),
            status=Document.Status.READY,
            error="",
        )
    except MemoryError:
        return fail_extraction(document, OUT_OF_MEMORY)


# Shown while a document is extracted again after its worker died on it (killed for memory,
# or past its hard time limit): the next such death fails the document.
RETRYING = "the last attempt to read this file stopped before it finished; trying again"
STOPPED_TWICE = (
    "reading this file stopped the worker twice (it needs more memory or time than a "
    "worker may use): split the file"
)
OUT_OF_MEMORY = (
    "file too large: its text does not fit in the memory a worker may use; "
    "split the file"
)


def _claim_extraction(document_id: int) -> str | None:
    """Claim a document with conditional UPDATEs: "new", "again", "stopped twice" or None.

    A document found "extracting" was left by a worker that died on it, or is a duplicate
    delivery (either way the claim is taken over, as before). The error field records one
    such restart, so a file that kills every worker fails instead of being redelivered to
    the next one until the sweep gives up an hour later.
    """
    rows = Document.objects.filter(pk=document_id)
    if rows.filter(status=Document.Status.PENDING).update(
        status=Document.Status.EXTRACTING, error=""
    ):
        return "new"
    if rows.filter(status=Document.Status.EXTRACTING, error="").update(error=RETRYING):
        return "again"
    if rows.filter(status=Document.Status.EXTRACTING, error=RETRYING).exists():
        return "stopped twice"
    return None


def retry_extraction(*, document: Document) -> bool:
    """Queue a failed document for extraction again (failed → pending); False if it was not
    failed (any more)."""
    again = Document.objects.filter(
        pk=document.pk, status=Document.Status.FAILED
    ).update(status=Document.Status.PENDING, error="", extracted_at=None)
    if again:
        document.status, document.error = Document.Status.PENDING, ""
        dispatch.send_on_commit(dispatch.EXTRACT_DOCUMENT, document.pk)
        events.publish(document.owner_id, document_event(document))
    return bool(again)


def fail_extraction(document: Document, message: str) -> Document | None:
    return _record_extraction(document, status=Document.Status.FAILED, error=message)


def _record_extraction(document: Document, **fields: object) -> Document | None:
    """Save the outcome only while the document is still being extracted: a person may
    have deleted it meanwhile, and a plain save() would bring the row back as a ghost."""
    fields["extracted_at"] = timezone.now()
    saved = Document.objects.filter(
        pk=document.pk, status=Document.Status.EXTRACTING
    ).update(**fields)
    if not saved:
        logger.info("document %s was deleted during extraction", document.pk)
        return None
    for name, value in fields.items():
        setattr(document, name, value)
    events.publish(document.owner_id, document_event(document))
    return document


def extraction_limits() -> Limits:
    return Limits(
        max_pdf_pages=settings.REFLECT_MAX_PDF_PAGES,
        max_docx_uncompressed_bytes=settings.REFLECT_MAX_DOCX_UNCOMPRESSED_BYTES,
        max_extracted_chars=settings.REFLECT_MAX_EXTRACTED_CHARS,
        max_docx_paragraphs=settings.REFLECT_MAX_DOCX_PARAGRAPHS,
        max_transcript_cues=settings.REFLECT_MAX_TRANSCRIPT_CUES,
        max_text_lines=settings.REFLECT_MAX_TEXT_LINES,
    )


def document_event(document: Document) -> dict:
    return {"type": "document", "id": document.pk, "status": document.status}


def delete_document(*, document: Document) -> None:
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)

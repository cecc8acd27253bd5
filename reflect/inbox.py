"""The inbox: watched folders whose files are ingested for their person.

Layout under settings.REFLECT_INBOX_DIR, one folder per username (each scan creates the folders
of active users that have none, so people created by sign-up, the admin or the shell all get
one without a hook):

    <username>/meeting.vtt               → collection settings.REFLECT_INBOX_COLLECTION
    <username>/<collection name>/x.pdf   → that collection (both created on demand)
    <username>/processing/…              → taken, the worker is extracting it
    <username>/done/…                    → ready (or already known: `<name>.note.txt` says which)
    <username>/failed/…                  → refused or unreadable: `<name>.reason.txt` says why
                                           (and an InboxFailure row, for the documents page)

A file is taken only once its modification time is `REFLECT_INBOX_SETTLE_SECONDS` old (a
recorder may still be writing it), by renaming it into `processing/`, which is atomic: of two
scans at once only one gets it. It then goes through the ordinary upload service, so a worker
extracts it; a later scan moves it to `done/` when its document is ready, or to `failed/` with
the extraction error when it is not (the failed document stays in the app too, where it can be
deleted). Bytes that are already one of the person's documents are not ingested again.
Retry on the documents page puts a failed file back: a failed document is extracted again,
any other file is taken again as if just dropped.

A collection may also have an upload URL (`/collections/<id>/drop/<secret>/`) for tools that can
POST files, such as a meeting recorder's webhook; its files go through the same service.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import collections, documents
from .models import Collection, Document, InboxFailure, User

log = logging.getLogger(__name__)

PROCESSING, DONE, FAILED = "processing", "done", "failed"
RESERVED = {PROCESSING, DONE, FAILED}


@dataclass(frozen=True)
class Outcome:
    user: str
    file: str
    # accepted (extracting) | waiting (still being written) | done | duplicate | failed
    outcome: str
    detail: str = ""
    document_id: int | None = None


def scan_inbox(*, now: datetime | None = None) -> list[dict]:
    """Look at every person's inbox folder once; one outcome per file that moved or waits."""
    root = Path(settings.REFLECT_INBOX_DIR)
    root.mkdir(parents=True, exist_ok=True)
    moment = now.timestamp() if now is not None else time.time()
    people = {user.username: user for user in User.objects.filter(is_active=True)}
    for username in people:
        (root / username).mkdir(exist_ok=True)
    outcomes: list[Outcome] = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        owner = people.get(folder.name)
        if owner is None:
            log.info(
                "inbox folder %s ignored: no active user is called %r",
                folder,
                folder.name,
            )
            continue
        outcomes += _retry_requested(owner=owner, folder=folder)
        outcomes += _finish_processing(owner=owner, folder=folder)
        for path, collection_name in _dropped_files(folder):
            outcome = _take(
                owner=owner,
                folder=folder,
                path=path,
                collection_name=collection_name,
                moment=moment,
            )
            if outcome is not None:
                outcomes.append(outcome)
        _forget_removed(owner=owner, folder=folder)
    for outcome in outcomes:
        log.info(
            "inbox %s/%s: %s %s",
            outcome.user,
            outcome.file,
            outcome.outcome,
            outcome.detail,
        )
    return [asdict(outcome) for outcome in outcomes]


def _visible(path: Path) -> bool:
    # Dot files are editors' and uploaders' temporary files; "~$x.docx" is Word's lock file.
    # A symbolic link could point at any file the worker can read (another person's, the
    # server's): never followed.
    return (
        path.is_file()
        and not path.is_symlink()
        and not path.name.startswith((".", "~"))
    )


def _dropped_files(folder: Path) -> list[tuple[Path, str]]:
    """(file, collection name) for each file waiting in a person's folder."""
    found = [
        (p, settings.REFLECT_INBOX_COLLECTION)
        for p in sorted(folder.iterdir())
        if _visible(p)
    ]
    for sub in sorted(folder.iterdir()):
        if (
            sub.is_dir()
            and not sub.is_symlink()
            and sub.name not in RESERVED
            and not sub.name.startswith(".")
        ):
            found += [(p, sub.name) for p in sorted(sub.iterdir()) if _visible(p)]
    return found


def _take(
    *, owner: User, folder: Path, path: Path, collection_name: str, moment: float
) -> Outcome | None:
    try:
        before = path.stat()
    except FileNotFoundError:
        return None  # another scan took it
    if moment - before.st_mtime < settings.REFLECT_INBOX_SETTLE_SECONDS:
        return Outcome(owner.username, path.name, "waiting", "still being written")
    relative = path.relative_to(folder)
    claimed = folder / PROCESSING / relative
    claimed.parent.mkdir(parents=True, exist_ok=True)
    claimed = _free_name(claimed)
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None
    return _ingest(
        owner=owner,
        folder=folder,
        path=claimed,
        collection_name=collection_name,
        expected=(before.st_size, before.st_mtime),
        back_to=path,
    )


def _ingest(
    *,
    owner: User,
    folder: Path,
    path: Path,
    collection_name: str,
    expected: tuple[int, float] | None = None,
    back_to: Path | None = None,
) -> Outcome:
    name = path.name
    try:
        documents.check_upload_size(path.stat().st_size)
        data = path.read_bytes()
        after = path.stat()
        if (
            expected is not None
            and (len(data), after.st_mtime) != expected
            and back_to is not None
        ):
            # Written to while being read: put it back and take it once it settles.
            os.rename(path, _free_name(back_to))
            return Outcome(owner.username, name, "waiting", "changed while being read")
        with transaction.atomic():
            upload = documents.upload_document(owner=owner, filename=name, data=data)
            collection = collections.collection_named(owner=owner, name=collection_name)
            collection.documents.add(upload.document)
    except (documents.UploadRejected, collections.CollectionNameError) as error:
        return _fail(owner, folder, path, str(error), collection_name=collection_name)
    except OSError as error:
        reason = f"cannot read the file: {error.strerror or error}"
        return _fail(owner, folder, path, reason, collection_name=collection_name)
    document = upload.document
    if upload.created:
        return Outcome(
            owner.username, name, "accepted", f"document #{document.pk}", document.pk
        )
    if document.status == Document.Status.FAILED:
        return _fail(
            owner,
            folder,
            path,
            f"already tried as document #{document.pk}: {document.error}",
            document_id=document.pk,
            collection_name=collection_name,
        )
    note = f"already uploaded as document #{document.pk} ({document.title}); not ingested again"
    _move(path, folder / DONE, note=("note", note))
    return Outcome(owner.username, name, "duplicate", note, document.pk)


def _finish_processing(*, owner: User, folder: Path) -> list[Outcome]:
    """Move taken files on once their documents are ready or failed."""
    processing = folder / PROCESSING
    if not processing.is_dir():
        return []
    outcomes = []
    for path in sorted(p for p in processing.rglob("*") if _visible(p)):
        collection_name = (
            path.parent.name
            if path.parent != processing
            else settings.REFLECT_INBOX_COLLECTION
        )
        try:
            sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            continue
        document = Document.objects.filter(owner=owner, sha256=sha256).first()
        if document is None:
            # Taken by a scan that stopped before storing it (or the document was deleted).
            outcomes.append(
                _ingest(
                    owner=owner,
                    folder=folder,
                    path=path,
                    collection_name=collection_name,
                )
            )
        elif document.status == Document.Status.READY:
            if _move(path, folder / DONE):
                outcomes.append(
                    Outcome(
                        owner.username,
                        path.name,
                        "done",
                        f"document #{document.pk}",
                        document.pk,
                    )
                )
        elif document.status == Document.Status.FAILED:
            outcomes.append(
                _fail(
                    owner,
                    folder,
                    path,
                    document.error or "extraction failed",
                    document_id=document.pk,
                    collection_name=collection_name,
                )
            )
    return outcomes


def _fail(
    owner: User,
    folder: Path,
    path: Path,
    reason: str,
    document_id: int | None = None,
    collection_name: str = "",
) -> Outcome:
    target = _move(path, folder / FAILED, note=("reason", reason))
    if target is not None:
        InboxFailure.objects.update_or_create(
            owner=owner,
            name=target.name,
            defaults={"reason": reason, "collection_name": collection_name},
        )
    return Outcome(owner.username, path.name, "failed", reason, document_id)


def retry_failure(*, failure: InboxFailure) -> bool:
    """Put a failed inbox file back: now when its file is on this machine, else at the next
    scan (which runs where the inbox is). True when it was retried now."""
    folder = Path(settings.REFLECT_INBOX_DIR) / failure.owner.username
    if not (folder / FAILED / failure.name).is_file():
        InboxFailure.objects.filter(pk=failure.pk).update(retry_requested=True)
        return False
    _retry(owner=failure.owner, folder=folder, failure=failure)
    return True


def _retry_requested(*, owner: User, folder: Path) -> list[Outcome]:
    requested = InboxFailure.objects.filter(owner=owner, retry_requested=True)
    outcomes = [_retry(owner=owner, folder=folder, failure=f) for f in requested]
    return [outcome for outcome in outcomes if outcome is not None]


def _retry(*, owner: User, folder: Path, failure: InboxFailure) -> Outcome | None:
    """A failed document is queued again and its file goes back to processing/; any other
    file is taken again from the folder it was dropped in. The failure record goes."""
    path = folder / FAILED / failure.name
    try:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None  # retried by another request, or removed (_forget_removed drops it)
    document = Document.objects.filter(owner=owner, sha256=sha256).first()
    collection_name = failure.collection_name or settings.REFLECT_INBOX_COLLECTION
    again = document is not None and documents.retry_extraction(document=document)
    if again:
        back = folder / PROCESSING
    elif collection_name == settings.REFLECT_INBOX_COLLECTION:
        back = folder
    else:
        back = folder / collection_name
    moved = _move(path, back)
    if moved is None:
        return None
    (folder / FAILED / f"{failure.name}.reason.txt").unlink(missing_ok=True)
    failure.delete()
    if again:
        return Outcome(
            owner.username,
            moved.name,
            "accepted",
            f"document #{document.pk}",
            document.pk,
        )
    return _take(
        owner=owner,
        folder=folder,
        path=moved,
        collection_name=collection_name,
        moment=time.time(),
    )


def _forget_removed(*, owner: User, folder: Path) -> None:
    """Drop the failure records of files someone removed from failed/ by hand."""
    records = InboxFailure.objects.filter(owner=owner).values_list("pk", "name")
    gone = [pk for pk, name in records if not (folder / FAILED / name).exists()]
    InboxFailure.objects.filter(pk__in=gone).delete()


def _move(
    path: Path, target_dir: Path, *, note: tuple[str, str] | None = None
) -> Path | None:
    """Move `path` into `target_dir` under a free name, with `<name>.<kind>.txt` beside it."""
    target_dir.mkdir(parents=True, exist_ok=True)
    target = _free_name(target_dir / path.name)
    try:
        os.rename(path, target)
    except FileNotFoundError:
        return None  # another scan moved it first
    if note is not None:
        kind, text = note
        (target_dir / f"{target.name}.{kind}.txt").write_text(
            text + "\n", encoding="utf-8"
        )
    return target


def _free_name(path: Path) -> Path:
    """`path`, or `name (2).ext`, `name (3).ext`… if taken: never overwrite an earlier file."""
    candidate, number = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
        number += 1
    return candidate


# --- Upload URL -------------------------------------------------------------------------------


def new_upload_secret(*, collection: Collection) -> str:
    """Give the collection a new upload URL secret; the previous URL stops working."""
    collection.upload_secret = secrets.token_urlsafe(32)
    collection.save(update_fields=["upload_secret"])
    return collection.upload_secret


def revoke_upload_secret(*, collection: Collection) -> None:
    collection.upload_secret = ""
    collection.save(update_fields=["upload_secret"])


def collection_for_secret(*, pk: int, secret: str) -> Collection | None:
    """The collection whose upload URL this is, or None; the secret is compared in constant time."""
    collection = (
        Collection.objects.select_related("owner")
        .filter(pk=pk, owner__is_active=True)
        .first()
    )
    expected = collection.upload_secret if collection is not None else ""
    # Compared even when there is no collection, so timing does not tell which ids exist.
    matches = hmac.compare_digest((expected or "-").encode(), (secret or "").encode())
    return collection if collection is not None and expected and matches else None

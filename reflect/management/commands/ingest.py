import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ... import collections
from ... import documents as service
from ...models import Collection, Document, User


class Command(BaseCommand):
    help = (
        "Extract files in-process (no worker needed), printing one JSON line per file."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--user", required=True)
        parser.add_argument(
            "--collection",
            help="add the documents to this collection (created if missing)",
        )
        parser.add_argument(
            "--show-text", action="store_true", help='add "text" to each line'
        )

    def handle(self, *args, paths, user, collection, show_text, **options):
        owner = User.objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"no user named {user!r}")
        target = None
        if collection:
            try:
                target = collections.collection_named(owner=owner, name=collection)
            except collections.CollectionNameError as error:
                raise CommandError(error.message) from None
        failed = False
        for path in expand(paths):
            line = ingest_one(
                owner=owner, path=path, collection=target, show_text=show_text
            )
            failed |= line["status"] != "ready"
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if failed:
            raise SystemExit(1)


def expand(paths: list[str]) -> list[Path]:
    files = []
    for raw in paths:
        path = Path(raw)
        files.extend(
            sorted(p for p in path.rglob("*") if p.is_file())
            if path.is_dir()
            else [path]
        )
    return files


def ingest_one(
    *, owner: User, path: Path, collection: Collection | None, show_text: bool
) -> dict:
    line = {
        "file": str(path),
        "document_id": None,
        "status": "failed",
        "kind": None,
        "error": None,
        "pages": None,
        "words": None,
        "tokens": None,
    }
    try:
        data = path.read_bytes()
        upload = service.ingest_document(owner=owner, filename=path.name, data=data)
    except OSError as error:
        line["error"] = f"cannot read file: {error.strerror or error}"
        return line
    except service.UploadRejected as error:
        line["error"] = str(error)
        return line
    document: Document = upload.document
    if collection is not None:
        collection.documents.add(document)
    line.update(
        document_id=document.pk,
        status=document.status,
        kind=document.kind,
        error=document.error or None,
        pages=document.pages,
        words=document.words,
        tokens=document.tokens,
    )
    if show_text:
        line["text"] = document.text
    return line

"""Small builders for test data: people and documents in known states."""

import hashlib

from django.core.files.base import ContentFile

from reflect.models import Document, User


def make_user(username: str = "owner", password: str = "a-long-test-password") -> User:
    return User.objects.create_user(username=username, password=password)


def make_document(owner: User, *, title: str = "Notes", text: str = "Alice: hello.",
                  kind: str = "txt", status: str = Document.Status.READY, segments=None,
                  data: bytes | None = None, **fields) -> Document:
    data = data if data is not None else text.encode()
    document = Document(
        owner=owner, title=title, original_name=f"{title}.{kind}", kind=kind, size=len(data),
        sha256=hashlib.sha256(data + title.encode()).hexdigest(), status=status, text=text,
        segments=segments if segments is not None else [{"start": 0, "end": len(text), "line": 1}],
        words=len(text.split()), **fields,
    )
    document.file.save(document.original_name, ContentFile(data), save=False)
    document.save()
    return document

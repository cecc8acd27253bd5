"""Small builders for test data: people and documents in known states."""

import hashlib

from django.core.files.base import ContentFile

from reflect.models import Document, User


def make_user(username: str = "owner", password: str = "a-long-test-password") -> User:
    return User.objects.create_user(username=username, password=password)


def make_document(
    owner: User,
    *,
    title: str = "Notes",
    text: str = "Alice: hello.",
    kind: str = "txt",
    status: str = Document.Status.READY,
    segments=None,
    data: bytes | None = None,
    **fields,
) -> Document:
    data = data if data is not None else text.encode()
    document = Document(
        owner=owner,
        title=title,
        original_name=f"{title}.{kind}",
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data + title.encode()).hexdigest(),
        status=status,
        text=text,
        segments=segments
        if segments is not None
        else [{"start": 0, "end": len(text), "line": 1}],
        words=len(text.split()),
        **fields,
    )
    document.file.save(document.original_name, ContentFile(data), save=False)
    document.save()
    return document


def make_reflection(
    owner: User,
    *,
    question: str = "What is nobody paying attention to?",
    status: str = "succeeded",
    result: dict | None = None,
    documents=(),
    **fields,
):
    from reflect.models import Reflection

    return Reflection.objects.create(
        owner=owner,
        question=question,
        provider=fields.pop("provider", "openai"),
        model=fields.pop("model", "gpt-5.6"),
        status=status,
        result=result,
        snapshot=[
            {"id": d.pk, "sha256": d.sha256, "title": d.title} for d in documents
        ],
        **fields,
    )


def verified_result(
    document,
    quote: str,
    *,
    title: str = "Vendor contract expiry has no owner",
    kind: str = "risk",
    summary: str = "One risk **stands out**.",
) -> dict:
    start = document.text.index(quote)
    return {
        "summary": summary,
        "findings": [
            {
                "title": title,
                "kind": kind,
                "confidence": "high",
                "observation": "Raised once by Bob, never picked up.",
                "why_it_matters": "Renewal lapses.",
                "supported": True,
                "evidence": [
                    {
                        "document_id": document.pk,
                        "quote": quote,
                        "verified": True,
                        "match": "exact",
                        "start": start,
                        "end": start + len(quote),
                        "document_title": document.title,
                        "locator": {
                            "time": "00:12:03",
                            "seconds": 723.0,
                            "speaker": "Bob",
                        },
                    }
                ],
            }
        ],
        "follow_up_questions": ["Who renews the vendor contract?"],
    }

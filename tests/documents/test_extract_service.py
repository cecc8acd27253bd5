"""The extraction service records ready with counts, or failed with a specific reason."""

import pytest

from reflect import documents as service
from reflect.models import Document

from ..factories import make_user

pytestmark = pytest.mark.django_db


def stored(owner, name: str, data: bytes) -> Document:
    return service.store_document(owner=owner, filename=name, data=data).document


def test_a_transcript_becomes_ready_with_text_speakers_and_counts():
    document = stored(
        make_user(),
        "standup.vtt",
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Ship it Friday.</v>\n",
    )

    service.extract_document(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == "ready"
    assert "Ship it Friday." in document.text
    assert document.speakers == ["Ann"]
    assert document.words >= 3 and document.tokens >= 4
    assert document.segments[0]["speaker"] == "Ann"
    assert document.extracted_at is not None


def test_a_damaged_file_fails_with_the_reason_and_others_are_unaffected(corpus):
    owner = make_user()
    broken = stored(
        owner, "broken.pdf", (corpus / "pdf/pdfjs/bug1020226.pdf").read_bytes()
    )
    fine = stored(owner, "fine.txt", b"Alice: the plan holds.\n")

    service.extract_document(document_id=broken.pk)
    service.extract_document(document_id=fine.pk)

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == "failed"
    assert broken.error.startswith(("damaged file:", "no text layer"))
    assert fine.status == "ready"


def test_an_encrypted_pdf_fails_asking_for_a_password(corpus):
    document = stored(
        make_user(),
        "locked.pdf",
        (corpus / "pdf/pypdf/libreoffice-writer-password.pdf").read_bytes(),
    )

    service.extract_document(document_id=document.pk)

    document.refresh_from_db()
    assert document.error == "encrypted PDF: a password is needed"


def test_a_second_delivery_of_the_task_does_nothing_once_finished():
    document = stored(make_user(), "a.txt", b"Alice: once.\n")
    service.extract_document(document_id=document.pk)
    Document.objects.filter(pk=document.pk).update(text="kept")

    assert service.extract_document(document_id=document.pk) is None
    assert Document.objects.get(pk=document.pk).text == "kept"


def test_a_missing_original_fails_the_document_instead_of_crashing_the_worker():
    document = stored(make_user(), "a.txt", b"Alice: gone.\n")
    document.file.delete(save=False)

    service.extract_document(document_id=document.pk)

    assert (
        Document.objects.get(pk=document.pk).error == "the stored original is missing"
    )


def test_deleting_a_document_removes_its_file(django_capture_on_commit_callbacks):
    document = stored(make_user(), "a.txt", b"Alice: bye.\n")
    storage, name = document.file.storage, document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        service.delete_document(document=document)

    assert not storage.exists(name)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "name, data", [("notes.txt", b"Ann: ship it.\n"), ("broken.pdf", b"%PDF-1.4 junk")]
)
def test_a_document_deleted_during_extraction_stays_deleted(monkeypatch, name, data):
    """The worker's write is conditional: neither a ready nor a failed outcome brings a
    deleted document back, and the same bytes uploaded again make a new document."""
    owner = make_user()
    document = stored(owner, name, data)
    extract = service.extract

    def delete_meanwhile(*args, **kwargs):
        service.delete_document(document=Document.objects.get(pk=document.pk))
        return extract(*args, **kwargs)

    monkeypatch.setattr(service, "extract", delete_meanwhile)

    assert service.extract_document(document_id=document.pk) is None

    assert not Document.objects.filter(pk=document.pk).exists()
    again = service.store_document(owner=owner, filename=name, data=data)
    assert again.created and again.document.pk != document.pk

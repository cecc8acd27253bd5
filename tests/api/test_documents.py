"""Documents through the API: multipart upload of several files (each with its outcome), then read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reflect.models import Collection, Document

from ..factories import make_document
from .conftest import assert_error

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Bo>Budget review on Monday.</v>\n"
TXT = b"Alice: Who owns the vendor contract?\nBob: I will check.\n"


def test_upload_reports_each_file_and_queues_extraction_after_commit(
    api, api_user, queued_tasks, django_capture_on_commit_callbacks
):
    make_document(api_user, title="Already", data=TXT)
    existing = Document.objects.get()
    existing.sha256 = __import__("hashlib").sha256(TXT).hexdigest()
    existing.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.upload(
            "/api/documents/",
            {
                "files": [
                    SimpleUploadedFile("standup.vtt", VTT),
                    SimpleUploadedFile("copy.txt", TXT),
                    SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200),
                ]
            },
        )

    assert response.status_code == 202, response.content
    body = response.json()
    assert [r["outcome"] for r in body["results"]] == [
        "created",
        "duplicate",
        "rejected",
    ]
    assert (body["created"], body["duplicates"], body["rejected"]) == (1, 1, 1)
    created, duplicate, rejected = body["results"]
    assert created["status"] == "pending"
    assert duplicate["document_id"] == existing.pk
    assert rejected["document_id"] is None and "not a PDF" in rejected["error"]
    assert queued_tasks() == [
        ("reflect.tasks.extract_document", [created["document_id"]])
    ]
    status = api.get(created["url"])
    assert status.status_code == 200 and status.json()["status"] == "pending"


def test_upload_into_a_collection_adds_the_accepted_files(api, api_user, queued_tasks):
    collection = Collection.objects.create(owner=api_user, name="Q3")

    response = api.upload(
        "/api/documents/",
        {"files": [SimpleUploadedFile("a.vtt", VTT)], "collection_id": collection.pk},
    )

    assert response.status_code == 202
    assert list(collection.documents.values_list("pk", flat=True)) == [
        response.json()["results"][0]["document_id"]
    ]


def test_an_upload_where_every_file_is_too_large_answers_413_with_each_reason(
    api, settings
):
    settings.REFLECT_MAX_UPLOAD_BYTES = 10

    response = api.upload(
        "/api/documents/", {"files": [SimpleUploadedFile("big.txt", TXT)]}
    )

    error = assert_error(response, 413, "upload_rejected")
    assert "file too large" in error["message"]
    assert error["details"]["results"][0]["name"] == "big.txt"
    assert not Document.objects.exists()


def test_an_upload_where_every_file_is_refused_answers_422(api):
    error = assert_error(
        api.upload(
            "/api/documents/", {"files": [SimpleUploadedFile("blank.txt", b"")]}
        ),
        422,
        "upload_rejected",
    )
    assert "empty file" in error["message"]


def test_an_upload_without_files_answers_422_naming_the_field(api):
    error = assert_error(api.upload("/api/documents/", {}), 422, "invalid")
    assert "files" in error["message"]


def test_too_many_files_at_once_answer_413(api, settings):
    settings.REFLECT_MAX_FILES_PER_UPLOAD = 1

    error = assert_error(
        api.upload(
            "/api/documents/",
            {
                "files": [
                    SimpleUploadedFile("a.txt", TXT),
                    SimpleUploadedFile("b.vtt", VTT),
                ]
            },
        ),
        413,
        "too_large",
    )
    assert "at most 1" in error["message"]
    assert not Document.objects.exists()


def test_a_document_reads_with_its_text_and_collections(api, api_user):
    document = make_document(api_user, title="Standup", text="Alice: ship it.")
    collection = Collection.objects.create(owner=api_user, name="Q3")
    collection.documents.add(document)

    body = api.get(f"/api/documents/{document.pk}/").json()

    assert body["title"] == "Standup" and body["status"] == "ready"
    assert body["text"] == "Alice: ship it."
    assert body["collection_ids"] == [collection.pk]


def test_the_list_filters_by_status(api, api_user):
    make_document(api_user, title="ready")
    make_document(api_user, title="failed", status="failed", error="damaged file")

    body = api.get("/api/documents/", status="failed").json()

    assert [d["title"] for d in body["items"]] == ["failed"]
    assert body["items"][0]["error"] == "damaged file"
    assert "text" not in body["items"][0], (
        "lists stay small: the text is on the document itself"
    )


def test_deleting_a_document_removes_it(api, api_user):
    document = make_document(api_user)

    assert api.delete(f"/api/documents/{document.pk}/").status_code == 204
    assert not Document.objects.exists()
    assert_error(api.get(f"/api/documents/{document.pk}/"), 404, "not_found")

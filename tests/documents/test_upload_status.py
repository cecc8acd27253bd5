"""The upload list follows each file it sent: the status URL reports queued, then ready or
failed with the specific reason, for the person's own documents only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reflect import documents as service

from ..factories import make_document, make_user

pytestmark = pytest.mark.django_db


def status_of(client, *ids) -> dict:
    query = "&".join(f"id={i}" for i in ids)
    response = client.get(f"/documents/status/?{query}")
    assert response.status_code == 200
    return {d["id"]: d for d in response.json()["documents"]}


def test_a_file_whose_extraction_fails_is_reported_failed_with_the_reason(
    client, owner, corpus, django_capture_on_commit_callbacks
):
    locked = (corpus / "pdf/pypdf/libreoffice-writer-password.pdf").read_bytes()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/documents/upload/",
            {"files": [SimpleUploadedFile("locked.pdf", locked)]},
            HTTP_ACCEPT="application/json",
        )
    [result] = response.json()["results"]
    document_id = result["document_id"]

    queued = status_of(client, document_id)[document_id]
    assert (queued["status"], queued["finished"], queued["error"]) == (
        "pending",
        False,
        "",
    )

    service.extract_document(document_id=document_id)

    failed = status_of(client, document_id)[document_id]
    assert failed["status"] == "failed" and failed["finished"] is True
    assert failed["error"] == "encrypted PDF: a password is needed"
    assert failed["label"] == "Failed"


def test_a_ready_document_is_reported_ready(client, owner):
    document = make_document(owner, title="Fine")

    assert status_of(client, document.pk)[document.pk]["status"] == "ready"


def test_another_persons_documents_are_not_reported(client, owner):
    theirs = make_document(make_user("stranger"), title="Theirs", status="failed")
    mine = make_document(owner, title="Mine")

    assert list(status_of(client, theirs.pk, mine.pk, "junk")) == [mine.pk]


def test_the_upload_form_names_the_status_url_for_its_script(client, owner):
    html = client.get("/").content.decode()

    assert 'data-status-url="/documents/status/"' in html

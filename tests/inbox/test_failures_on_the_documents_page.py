"""Inbox files that failed are listed on the documents page with their reason, for their
owner only, and Retry puts them back: a refused file is taken again, a failed document is
extracted again, and the failure record goes."""

import pytest

from reflect import documents as service
from reflect.inbox import scan_inbox
from reflect.models import Collection, Document, InboxFailure

from ..factories import make_user
from .conftest import drop

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Alice>We ship on Friday.</v>\n"


def refused_for_size(inbox, settings, folder="owner", name="long.vtt"):
    settings.REFLECT_MAX_UPLOAD_BYTES = 10
    drop(inbox / folder, name, VTT)
    scan_inbox()
    settings.REFLECT_MAX_UPLOAD_BYTES = 1_000_000


def test_a_failed_inbox_file_is_listed_with_its_reason_and_a_retry(
    client, owner, inbox, settings
):
    refused_for_size(inbox, settings)

    html = client.get("/").content.decode()

    [failure] = InboxFailure.objects.filter(owner=owner)
    assert failure.name == "long.vtt" and "file too large" in failure.reason
    section = html[html.index('id="inbox-failures"') :]
    assert "long.vtt" in section and failure.reason in section
    assert f'action="/inbox/failures/{failure.pk}/retry/"' in section
    assert 'aria-label="Retry long.vtt"' in section


def test_another_persons_failures_are_neither_listed_nor_retried(
    client, owner, inbox, settings
):
    make_user("stranger")
    refused_for_size(inbox, settings, folder="stranger", name="secret.vtt")
    [theirs] = InboxFailure.objects.all()

    assert "secret.vtt" not in client.get("/").content.decode()
    assert client.post(f"/inbox/failures/{theirs.pk}/retry/").status_code == 404
    assert (inbox / "stranger/failed/secret.vtt").exists()


def test_retry_takes_a_refused_file_again_into_its_collection(
    client, owner, inbox, settings
):
    settings.REFLECT_MAX_UPLOAD_BYTES = 10
    drop(inbox / "owner/Standups", "long.vtt", VTT)
    scan_inbox()
    settings.REFLECT_MAX_UPLOAD_BYTES = 1_000_000
    failure = InboxFailure.objects.get(owner=owner)

    response = client.post(f"/inbox/failures/{failure.pk}/retry/")

    assert response.status_code == 302
    document = Document.objects.get(owner=owner)
    assert document.status == Document.Status.PENDING
    assert list(Collection.objects.get(name="Standups").documents.all()) == [document]
    assert not InboxFailure.objects.exists()
    assert not (inbox / "owner/failed/long.vtt").exists()
    assert not (inbox / "owner/failed/long.vtt.reason.txt").exists()
    assert (inbox / "owner/processing/Standups/long.vtt").exists()


def test_retry_extracts_a_failed_document_again(
    client, owner, inbox, corpus, queued_tasks, django_capture_on_commit_callbacks
):
    locked = (corpus / "pdf/pypdf/libreoffice-writer-password.pdf").read_bytes()
    drop(inbox / "owner", "locked.pdf", locked)
    scan_inbox()
    document = Document.objects.get(owner=owner)
    service.extract_document(document_id=document.pk)
    scan_inbox()
    failure = InboxFailure.objects.get(owner=owner)
    assert failure.reason == "encrypted PDF: a password is needed"
    queued_tasks()  # empties the queue of the first extraction

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/inbox/failures/{failure.pk}/retry/")

    document.refresh_from_db()
    assert (document.status, document.error) == (Document.Status.PENDING, "")
    assert ("reflect.tasks.extract_document", [document.pk]) in queued_tasks()
    assert (inbox / "owner/processing/locked.pdf").exists()
    assert not InboxFailure.objects.exists()


def test_a_retry_asked_where_the_file_is_not_is_done_by_the_next_scan(
    client, owner, inbox, settings, tmp_path
):
    refused_for_size(inbox, settings)
    failure = InboxFailure.objects.get(owner=owner)
    # The web server without the inbox disk (docker compose: only workers have it).
    settings.REFLECT_INBOX_DIR = tmp_path / "elsewhere"

    client.post(f"/inbox/failures/{failure.pk}/retry/")

    failure.refresh_from_db()
    assert failure.retry_requested
    assert "retrying at the next inbox scan" in client.get("/").content.decode()
    settings.REFLECT_INBOX_DIR = inbox

    outcomes = scan_inbox()

    assert [(o["file"], o["outcome"]) for o in outcomes] == [("long.vtt", "accepted")]
    assert Document.objects.filter(owner=owner).count() == 1
    assert not InboxFailure.objects.exists()


def test_a_failed_file_removed_by_hand_leaves_the_list(owner, inbox, settings):
    refused_for_size(inbox, settings)
    (inbox / "owner/failed/long.vtt").unlink()

    scan_inbox()

    assert not InboxFailure.objects.exists()

"""An upload goes from queued to ready through a real Celery worker on real Redis."""

import pytest

from reflect.models import Document

from ..workers import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_uploaded_transcript_becomes_ready_in_a_real_worker(
    client, django_user_model, live_worker
):
    user = django_user_model.objects.create_user("ada", password="pw-for-tests-1")
    client.force_login(user)
    vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Alice>We ship on Friday.</v>\n"

    response = client.post(
        "/documents/upload/",
        {"files": [_file("standup.vtt", vtt)]},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200, response.content
    document_id = response.json()["results"][0]["document_id"]
    assert Document.objects.get(pk=document_id).status == Document.Status.PENDING
    document = wait_for(
        lambda: Document.objects.filter(
            pk=document_id, status__in=["ready", "failed"]
        ).first(),
        timeout=30,
        message="extraction in the worker",
    )
    assert document.status == Document.Status.READY, (document.error, live_worker.log())
    assert "We ship on Friday." in document.text
    assert document.speakers == ["Alice"]
    assert document.tokens > 0


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)

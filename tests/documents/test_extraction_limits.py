"""The extraction service applies the configured text limits, fails a file that ran out of
memory or stopped its worker with a message of its own, and leaves other files alone."""

import pytest

from reflect import documents as service
from reflect.models import Document

from ..factories import make_user

pytestmark = pytest.mark.django_db


def stored(owner, name: str, data: bytes) -> Document:
    return service.store_document(owner=owner, filename=name, data=data).document


def test_the_limits_come_from_settings(settings):
    settings.REFLECT_MAX_EXTRACTED_CHARS = 1_000
    settings.REFLECT_MAX_DOCX_PARAGRAPHS = 10
    settings.REFLECT_MAX_TRANSCRIPT_CUES = 20
    settings.REFLECT_MAX_TEXT_LINES = 30

    limits = service.extraction_limits()

    assert (
        limits.max_extracted_chars,
        limits.max_docx_paragraphs,
        limits.max_transcript_cues,
        limits.max_text_lines,
    ) == (1_000, 10, 20, 30)


def test_a_document_over_the_character_limit_fails_with_the_limit_named(settings):
    settings.REFLECT_MAX_EXTRACTED_CHARS = 1_000
    owner = make_user()
    long = stored(owner, "long.txt", b"Alice: we agreed on the budget.\n" * 100)
    short = stored(owner, "short.txt", b"Bob: fine.\n")

    service.extract_document(document_id=long.pk)
    service.extract_document(document_id=short.pk)

    long.refresh_from_db()
    short.refresh_from_db()
    assert long.status == "failed"
    assert long.error == (
        "the text is longer than 1,000 characters (about 250 tokens): split the file"
    )
    assert long.text == "" and long.segments == []
    assert short.status == "ready"


def test_running_out_of_memory_after_extraction_fails_that_file_alone(monkeypatch):
    owner = make_user()
    heavy = stored(owner, "heavy.txt", b"Alice: a great deal of text.\n")
    light = stored(owner, "light.txt", b"Bob: a little.\n")

    def out_of_memory(text):
        raise MemoryError

    monkeypatch.setattr(service, "count_tokens", out_of_memory)
    service.extract_document(document_id=heavy.pk)
    monkeypatch.undo()
    service.extract_document(document_id=light.pk)

    heavy.refresh_from_db()
    light.refresh_from_db()
    assert heavy.status == "failed"
    assert heavy.error == (
        "file too large: its text does not fit in the memory a worker may use; "
        "split the file"
    )
    assert light.status == "ready"


def test_a_document_whose_worker_died_is_tried_once_more_and_says_so(monkeypatch):
    """Left "extracting" by a worker that died (killed for memory, or its hard time limit),
    the next delivery notes the earlier stop while it tries again."""
    document = stored(make_user(), "call.txt", b"Alice: hello.\n")
    Document.objects.filter(pk=document.pk).update(status="extracting")
    seen = {}
    real_extract = service.extract

    def watching(data, **kwargs):
        seen["row"] = Document.objects.values("status", "error").get(pk=document.pk)
        return real_extract(data, **kwargs)

    monkeypatch.setattr(service, "extract", watching)
    service.extract_document(document_id=document.pk)

    assert seen["row"] == {"status": "extracting", "error": service.RETRYING}
    document.refresh_from_db()
    assert document.status == "ready" and document.error == ""


def test_a_document_that_stopped_its_worker_twice_fails_without_being_read_again(
    monkeypatch,
):
    document = stored(make_user(), "bomb.txt", b"Alice: not read again.\n")
    Document.objects.filter(pk=document.pk).update(
        status="extracting", error=service.RETRYING
    )
    monkeypatch.setattr(
        service, "extract", lambda *a, **k: pytest.fail("the file was read again")
    )

    service.extract_document(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == "failed"
    assert document.error == (
        "reading this file stopped the worker twice (it needs more memory or time than "
        "a worker may use): split the file"
    )


def test_a_finished_document_is_not_claimed_again():
    document = stored(make_user(), "done.txt", b"Alice: done.\n")
    service.extract_document(document_id=document.pk)

    assert service.extract_document(document_id=document.pk) is None


def test_workers_recycle_a_child_past_the_memory_ceiling(settings):
    from reflect.celery import app

    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD == 600 * 1024  # KiB
    assert app.conf.worker_max_memory_per_child == 600 * 1024

"""Extraction does not wait behind reflections: with every reflection slot held by a long
model call, a small upload is extracted by the interactive worker meanwhile."""

import threading
import time

import pytest

from reflect import documents
from reflect.models import Document, Reflection
from reflect.reflections.asking import create_reflection
from tests.factories import make_document
from tests.reasoning.helpers import (
    MEETING_1,
    MEETING_2,
    good_result,
    transcript_segments,
)
from tests.stub_openai import answer
from tests.workers import wait_for

from .conftest import worker_env

pytestmark = [pytest.mark.worker, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_extracted_while_both_reflection_slots_are_busy(
    stub_openai, start_worker, person
):
    sources = [
        make_document(
            person, title=title, text=text, segments=transcript_segments(text)
        )
        for title, text in (("Kick-off", MEETING_1), ("Week two", MEETING_2))
    ]
    reply = answer(good_result(sources[0].pk, sources[1].pk))
    release = threading.Event()
    asked = threading.Semaphore(0)

    def long_call(request):
        asked.release()
        release.wait(60)
        return reply(request)

    stub_openai.default = long_call
    env = worker_env(stub_openai)
    reflections = start_worker(env=env, concurrency=2, queues=("", ".maintenance"))
    interactive = start_worker(env=env, concurrency=1, queues=(".interactive",))
    runs = [
        create_reflection(
            owner=person,
            preset="blind_spots",
            document_ids=[d.pk for d in sources],
        )
        for _ in range(2)
    ]
    try:
        for _ in runs:
            assert asked.acquire(timeout=30), reflections.log()
        started = time.monotonic()
        upload = documents.upload_document(
            owner=person, filename="standup.txt", data=b"Dana: I will ship it Friday.\n"
        )
        ready = wait_for(
            lambda: Document.objects.filter(
                pk=upload.document.pk, status=Document.Status.READY
            ).first(),
            timeout=20,
            interval=0.05,
            message=f"the upload to be extracted\n{interactive.log()}",
        )
        elapsed = time.monotonic() - started
        assert {
            r.status for r in Reflection.objects.filter(pk__in=[r.pk for r in runs])
        } == {Reflection.Status.RUNNING}
        print(f"extraction with both reflection slots busy: {elapsed:.2f} s")
        assert "Friday" in ready.text
    finally:
        release.set()

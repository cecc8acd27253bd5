"""Redis crashes (no persistence: every queued message and key is lost) while one reflection
runs and others wait. Meanwhile the web app answers every page with a clear "queue unavailable"
state instead of a 500 and still accepts work; once Redis is back, the beat's sweep re-sends
what was lost, the running reflection is not taken from its live worker, and everything
finishes exactly once.

Real processes throughout: a private redis-server, a Celery worker with beat inside, the web
app under uvicorn, the stub model server.
"""

import re
import threading
import time

import pytest
import requests
from celery import Celery
from django.test import Client

from reflect.models import Document, Notification, Reflection
from reflect.reflections.asking import create_reflection
from tests.conftest import TEST_QUEUE
from tests.factories import make_document
from tests.reasoning.helpers import (
    MEETING_1,
    MEETING_2,
    good_result,
    transcript_segments,
)
from tests.reflections import ask_page
from tests.stub_openai import answer
from tests.workers import WebServer, Worker, wait_for

from .conftest import worker_env
from .helpers import PrivateRedis

pytestmark = [pytest.mark.worker, pytest.mark.slow]
BANNER = 'id="queue-unavailable-banner"'


class HeldFirstAnswer:
    """Answers every request; the first one only once released (a long model call)."""

    def __init__(self, answer) -> None:
        self.answer = answer
        self.started, self.release = threading.Event(), threading.Event()

    def __call__(self, request):
        if not self.started.is_set():
            self.started.set()
            self.release.wait(60)
        return self.answer(request)


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path).start()
    yield server
    server.crash()


def browser_for(person, web: WebServer) -> requests.Session:
    """An HTTP session logged in as `person` (the session row lives in the shared database)."""
    client = Client()
    client.force_login(person)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.get(web.url + "/reflections/new/", timeout=10)  # sets the CSRF cookie
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


@pytest.mark.django_db(transaction=True)
def test_everything_finishes_once_after_redis_restarts(
    stub_openai, person, tmp_path, session_media_root, private_redis
):
    documents = [
        make_document(
            person, title=title, text=text, segments=transcript_segments(text)
        )
        for title, text in (("Kick-off", MEETING_1), ("Week two", MEETING_2))
    ]
    held = HeldFirstAnswer(answer(good_result(documents[0].pk, documents[1].pk)))
    stub_openai.default = held
    env = worker_env(
        stub_openai,
        REDIS_URL=private_redis.url,
        REFLECT_SWEEP_INTERVAL_SECONDS=1,
        REFLECT_REQUEUE_AFTER_SECONDS=2,
        REFLECT_SCHEDULE_TICK_SECONDS=3600,
        REFLECT_INBOX_SCAN_SECONDS=3600,
    )
    worker = Worker(
        queue=TEST_QUEUE,
        media_root=session_media_root,
        log_path=tmp_path / "worker.log",
        env=env,
        extra_args=("-B", "--schedule", str(tmp_path / "beat-schedule")),
    )
    web = WebServer(
        media_root=session_media_root,
        log_path=tmp_path / "web.log",
        queue=TEST_QUEUE,
        env=env,
    )
    try:
        worker.start()
        web.start()
        browser = browser_for(person, web)
        before = [
            create_reflection(
                owner=person,
                preset="blind_spots",
                enqueue=False,
                document_ids=[d.pk for d in documents],
            )
            for _ in range(3)
        ]
        # Not the current app: the tasks of this process must keep publishing to their broker.
        sender = Celery("sender", broker=private_redis.url, set_as_current=False)
        for reflection in before:
            sender.send_task(
                "reflect.tasks.run_reflection", args=[reflection.pk], queue=TEST_QUEUE
            )
        assert held.started.wait(30), worker.log()
        running = wait_for(
            lambda: Reflection.objects.filter(status="running").first(),
            timeout=10,
            message="one reflection running",
        )
        # The other two wait in the queue (with copies the sweep sent: harmless, see below).
        assert private_redis.client().llen(TEST_QUEUE) >= 2

        private_redis.crash()

        # The web app keeps working and says why nothing moves (its view of Redis is cached
        # for a moment, so the first page may still miss it).
        wait_for(
            lambda: BANNER in browser.get(web.url + "/", timeout=10).text,
            timeout=10,
            interval=0.5,
            message="the queue-unavailable banner",
        )
        for path in [
            "/",
            "/reflections/new/",
            f"/reflections/{running.pk}/",
            "/reflections/",
        ]:
            page = browser.get(web.url + path, timeout=10)
            assert page.status_code == 200, (path, page.status_code)
            assert BANNER in page.text, path
        assert (
            browser.get(web.url + "/notifications/bell/", timeout=10).status_code == 200
        )
        events = browser.get(web.url + "/events/", timeout=10)
        assert events.status_code == 200 and "event: unavailable" in events.text
        # As a person asks: the form shows the estimate, and its Start button starts.
        form = browser.get(
            web.url + "/reflections/new/",
            params={
                "documents": [d.pk for d in documents],
                "preset": "risks",
                "effort": "medium",
            },
            timeout=10,
        )
        start = ask_page.start_button(form.text)
        assert start, form.text[:2000]
        asked = browser.post(
            web.url + "/reflections/new/",
            timeout=10,
            allow_redirects=False,
            data={
                "documents": [d.pk for d in documents],
                "preset": "risks",
                "effort": "medium",
                "start": start[0],
            },
        )
        assert asked.status_code == 302, asked.text[:2000]
        during = Reflection.objects.get(
            pk=int(re.search(r"/reflections/(\d+)/", asked.headers["Location"])[1])
        )
        assert during.status == Reflection.Status.QUEUED
        uploaded = browser.post(
            web.url + "/documents/upload/",
            timeout=10,
            allow_redirects=False,
            files={
                "files": ("outage.txt", b"Dana: We wrote this while Redis was down.\n")
            },
        )
        assert uploaded.status_code in (200, 302), uploaded.text[:2000]
        document = Document.objects.get(owner=person, original_name="outage.txt")
        assert document.status == Document.Status.PENDING

        private_redis.start()
        # Redis is back without the claim key of the running reflection; its worker puts the
        # key back and keeps the reflection (the sweep's wait for that is in test_sweep.py:
        # here the sweep queues behind the held reflection on the worker's only slot).
        time.sleep(3)
        running.refresh_from_db()
        assert running.status == Reflection.Status.RUNNING and running.attempts == 1
        held.release.set()

        everything = [r.pk for r in before] + [during.pk]

        def all_finished():
            rows = Reflection.objects.filter(pk__in=everything)
            return (
                all(r.is_finished for r in rows)
                and Document.objects.get(pk=document.pk).is_finished
            )

        wait_for(
            all_finished,
            timeout=90,
            interval=0.5,
            message=f"every reflection to finish\n{worker.log()}",
        )
    finally:
        held.release.set()
        web.stop()
        worker.stop()

    rows = list(Reflection.objects.filter(pk__in=everything))
    assert {r.status for r in rows} == {Reflection.Status.SUCCEEDED}, [
        (r.pk, r.error) for r in rows
    ]
    assert {r.attempts for r in rows} == {1}
    assert len(stub_openai.requests) == len(
        everything
    )  # nothing lost, nothing asked twice
    assert Notification.objects.filter(reflection__in=rows).count() == len(everything)
    assert Document.objects.get(pk=document.pk).status == Document.Status.READY

"""Owed webhooks survive the faults that used to lose them: Redis crashing with deliveries
queued, Redis down when the reflection finishes, and a worker gone between the finishing
commit and the publish. Each delivery arrives; a repeat carries the same delivery id.

Real processes: a private redis-server, a Celery worker with beat inside (sweep every
second), a loopback webhook receiver, the stub model.
"""

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from celery import Celery

from reflect import dispatch
from reflect.models import Delivery, Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.conftest import TEST_QUEUE
from tests.factories import make_document
from tests.reasoning.helpers import (
    MEETING_1,
    MEETING_2,
    good_result,
    transcript_segments,
)
from tests.stub_openai import answer
from tests.workers import Worker, wait_for

from .conftest import worker_env
from .helpers import PrivateRedis

pytestmark = [pytest.mark.worker, pytest.mark.slow]
RUNS = 4


class Receiver(BaseHTTPRequestHandler):
    seen: Counter = Counter()

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.seen[self.headers["X-Reflect-Delivery"]] += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.seen = Counter()
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path).start()
    yield server
    server.crash()


def start_worker(stub, redis, tmp_path, media_root, queues, name) -> Worker:
    env = worker_env(
        stub,
        REDIS_URL=redis.url,
        REFLECT_WEBHOOK_ALLOW_PRIVATE=1,
        REFLECT_SWEEP_INTERVAL_SECONDS=1,
        REFLECT_REQUEUE_AFTER_SECONDS=2,
        REFLECT_DELIVERY_RESEND_AFTER_SECONDS=2,
        REFLECT_SCHEDULE_TICK_SECONDS=3600,
        REFLECT_INBOX_SCAN_SECONDS=3600,
    )
    extra = (
        ("-B", "--schedule", str(tmp_path / f"beat-{name}")) if name == "beat" else ()
    )
    return Worker(
        queue=TEST_QUEUE,
        media_root=media_root,
        log_path=tmp_path / f"{name}.log",
        env=env,
        queues=queues,
        extra_args=extra,
    ).start()


def reflections_for(person, receiver):
    person.webhook_url = receiver
    person.save()
    documents = [
        make_document(
            person, title=title, text=text, segments=transcript_segments(text)
        )
        for title, text in (("Kick-off", MEETING_1), ("Week two", MEETING_2))
    ]
    return documents, [
        create_reflection(
            owner=person,
            preset="blind_spots",
            enqueue=False,
            document_ids=[d.pk for d in documents],
        )
        for _ in range(RUNS)
    ]


def all_delivered(workers):
    def done():
        rows = list(Delivery.objects.all())
        return len(rows) == RUNS and all(d.status == "sent" for d in rows)

    wait_for(
        done,
        timeout=60,
        interval=0.5,
        message="every delivery\n" + "\n".join(w.log() for w in workers),
    )
    ids = {str(d.uuid) for d in Delivery.objects.all()}
    assert set(Receiver.seen) == ids  # every owed delivery arrived, none unknown


@pytest.mark.django_db(transaction=True)
def test_deliveries_queued_when_redis_crashes_are_sent_after_it_returns(
    stub_openai, person, tmp_path, session_media_root, private_redis, receiver
):
    documents, runs = reflections_for(person, receiver)
    stub_openai.default = answer(good_result(documents[0].pk, documents[1].pk))
    # Reflections only: the deliveries wait on the interactive queue, then Redis crashes.
    beat = start_worker(
        stub_openai,
        private_redis,
        tmp_path,
        session_media_root,
        ("", ".maintenance"),
        "beat",
    )
    workers = [beat]
    try:
        sender = Celery("sender", broker=private_redis.url, set_as_current=False)
        for reflection in runs:
            sender.send_task(
                "reflect.tasks.run_reflection", args=[reflection.pk], queue=TEST_QUEUE
            )
        wait_for(
            lambda: Delivery.objects.count() == RUNS,
            timeout=60,
            message=f"deliveries owed\n{beat.log()}",
        )
        assert private_redis.client().llen(f"{TEST_QUEUE}.interactive") >= 1
        private_redis.crash()
        private_redis.start()  # empty: the queued deliveries are gone
        workers.append(
            start_worker(
                stub_openai,
                private_redis,
                tmp_path,
                session_media_root,
                (".interactive",),
                "interactive",
            )
        )
        all_delivered(workers)
    finally:
        for worker in workers:
            worker.stop()
    assert Receiver.seen.total() >= RUNS


@pytest.mark.django_db(transaction=True)
def test_deliveries_of_a_finish_while_redis_is_down_are_sent_after_it_returns(
    stub_openai, person, tmp_path, session_media_root, private_redis, receiver
):
    documents, runs = reflections_for(person, receiver)
    reply = answer(good_result(documents[0].pk, documents[1].pk))
    asked, release = threading.Event(), threading.Event()

    def held(request):
        asked.set()
        release.wait(60)
        return reply(request)

    stub_openai.default = held
    worker = start_worker(
        stub_openai,
        private_redis,
        tmp_path,
        session_media_root,
        ("", ".maintenance", ".interactive"),
        "beat",
    )
    try:
        sender = Celery("sender", broker=private_redis.url, set_as_current=False)
        sender.send_task(
            "reflect.tasks.run_reflection", args=[runs[0].pk], queue=TEST_QUEUE
        )
        assert asked.wait(30), worker.log()
        private_redis.crash()
        release.set()  # the reflection finishes with nowhere to publish its delivery
        wait_for(
            lambda: Reflection.objects.get(pk=runs[0].pk).is_finished,
            timeout=30,
            message=worker.log(),
        )
        private_redis.start()
        for reflection in runs[1:]:
            sender.send_task(
                "reflect.tasks.run_reflection", args=[reflection.pk], queue=TEST_QUEUE
            )
        all_delivered([worker])
    finally:
        release.set()
        worker.stop()


@pytest.mark.django_db(transaction=True)
def test_deliveries_left_by_a_worker_gone_after_the_commit_are_sent_by_the_sweep(
    stub_openai,
    person,
    tmp_path,
    session_media_root,
    private_redis,
    receiver,
    monkeypatch,
):
    documents, runs = reflections_for(person, receiver)
    stub_openai.default = answer(good_result(documents[0].pk, documents[1].pk))
    # The finishing commits happen here, and the publishes after them never do: what a
    # worker SIGKILLed between its commit and its publish leaves behind.
    monkeypatch.setattr(dispatch, "send_on_commit", lambda *args: None)
    for reflection in runs:
        assert run_reflection(reflection_id=reflection.pk).status == "succeeded"
    monkeypatch.undo()
    assert Delivery.objects.filter(status="pending").count() == RUNS
    worker = start_worker(
        stub_openai,
        private_redis,
        tmp_path,
        session_media_root,
        ("", ".maintenance", ".interactive"),
        "beat",
    )
    try:
        all_delivered([worker])
    finally:
        worker.stop()

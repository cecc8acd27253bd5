import os
from pathlib import Path

import pytest
from django.conf import settings

from reflect.celery import app as celery_app

from .shared import SHARED
from .workers import Worker

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = SHARED / "corpus"

# Each test run gets its own queue so concurrent runs (or a developer's `make run`) on the
# same Redis never take each other's tasks.
TEST_QUEUE = f"reflect-test-{os.getpid()}"
celery_app.conf.task_default_queue = TEST_QUEUE
# Interactive work (extraction, deliveries) goes to this run's own interactive queue.
celery_app.conf.task_routes = {
    name: {"queue": f"{TEST_QUEUE}.interactive"} for name in settings.CELERY_TASK_ROUTES
}


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real files (../shared/corpus, or $REFLECT_SHARED_DIR/corpus)."""
    assert SHARED_CORPUS.is_dir(), (
        f"shared corpus missing at {SHARED_CORPUS} (set REFLECT_SHARED_DIR)"
    )
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def session_media_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_root(settings, session_media_root):
    """Uploads go to a temporary folder shared with any worker process the test starts."""
    settings.MEDIA_ROOT = session_media_root
    return session_media_root


@pytest.fixture
def redis_client():
    import redis
    from django.conf import settings

    return redis.Redis.from_url(settings.REDIS_URL)


@pytest.fixture
def queued_tasks(redis_client):
    """(task name, args) waiting on this run's queues, oldest first, the reflections' queue
    before the interactive one; both are emptied before the test so only its own show."""
    import base64
    import json

    queues = (TEST_QUEUE, f"{TEST_QUEUE}.interactive")
    redis_client.delete(*queues)

    def read() -> list[tuple[str, list]]:
        found = []
        for queue in queues:
            messages = [json.loads(m) for m in redis_client.lrange(queue, 0, -1)]
            found += [
                (m["headers"]["task"], json.loads(base64.b64decode(m["body"]))[0])
                for m in reversed(messages)
            ]
        return found

    yield read
    redis_client.delete(*queues)


@pytest.fixture
def start_worker(tmp_path, session_media_root, redis_client):
    """Start real Celery worker processes: `start_worker(env={...}, concurrency=1)`.

    Each consumes this run's queue against real Redis and the test database (use with
    `@pytest.mark.django_db(transaction=True)` so the worker sees committed rows); `env`
    overrides the worker's environment (for example OPENAI_BASE_URL of a stub server).
    Workers are stopped after the test; `.kill()` SIGKILLs one mid-task.
    """
    redis_client.delete(TEST_QUEUE, f"{TEST_QUEUE}.interactive")
    workers: list[Worker] = []

    def start(
        env: dict | None = None, concurrency: int = 1, queues: tuple[str, ...] = ()
    ) -> Worker:
        worker = Worker(
            queue=TEST_QUEUE,
            media_root=session_media_root,
            log_path=tmp_path / f"worker-{len(workers)}.log",
            env=env,
            concurrency=concurrency,
            **({"queues": queues} if queues else {}),
        )
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()
    redis_client.delete(TEST_QUEUE, f"{TEST_QUEUE}.interactive")


@pytest.fixture
def live_worker(start_worker) -> Worker:
    """One real Celery worker with the default environment."""
    return start_worker()


@pytest.fixture
def owner(client, db):
    """A person logged in on `client` (tests/reasoning has its own, not logged in)."""
    from .factories import make_user

    user = make_user()
    client.force_login(user)
    return user

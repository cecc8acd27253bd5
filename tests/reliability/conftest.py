"""Fixtures for the reliability tests: a stub model server, fast liveness, worker settings."""

import pytest

from tests.conftest import TEST_QUEUE
from tests.factories import make_user
from tests.reasoning.conftest import API_KEY, fast_password_hashing, stub_openai  # noqa: F401 (fixtures)

# Liveness short enough for tests: a killed worker's claim key is gone within 2 s.
FAST_LIVENESS = {
    "REFLECT_LIVENESS_TTL_SECONDS": 2,
    "REFLECT_LIVENESS_INTERVAL_SECONDS": 0.5,
    "REFLECT_DEAD_WORKER_GRACE_SECONDS": 1,
}


@pytest.fixture
def person(db):
    return make_user("person")


@pytest.fixture
def fast_liveness(settings):
    for name, value in FAST_LIVENESS.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def fresh_resend_marks(redis_client):
    """The sweep's once-per-window marks are per queue and row id; ids repeat between tests."""

    def clear():
        keys = list(
            redis_client.scan_iter(match=f"reflect:resent:{TEST_QUEUE}:*", count=1000)
        )
        if keys:
            redis_client.delete(*keys)

    clear()
    yield
    clear()


def worker_env(stub, **overrides) -> dict:
    """The environment of a worker that asks `stub` and notices dead claims quickly."""
    env = {
        "OPENAI_BASE_URL": stub.base_url,
        "OPENAI_API_KEY": API_KEY,
        "REFLECT_PROVIDER": "openai",
        "REFLECT_MODEL": "gpt-5.6",
        "REFLECT_MAP_MODEL": "gpt-5.6",
        "REFLECT_SDK_MAX_RETRIES": "0",
        "REFLECT_RETRY_BACKOFF_SECONDS": "0",
        "REFLECT_REQUEST_TIMEOUT": "20",
        "REFLECT_SOFT_TIME_LIMIT": "120",
        "REFLECT_HARD_TIME_LIMIT": "150",
        **{name: str(value) for name, value in FAST_LIVENESS.items()},
    }
    env.update({name: str(value) for name, value in overrides.items()})
    return env

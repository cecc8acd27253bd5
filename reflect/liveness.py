"""Liveness from keys in Redis that expire unless their process keeps refreshing them.

Two kinds of key:
- `reflect:worker:<hostname>`: a Celery worker is up (pages say "no worker is running"
  instead of waiting forever);
- `reflect:claim:<claimed_by>`: the process that claimed a reflection is still alive. A
  worker killed mid-run stops refreshing it, so the sweep can tell a dead claim from a long
  model call without waiting for the task's time limits.

A claim key alone is not trusted to mean "dead": a key can vanish under a live process
(eviction, FLUSHDB, a partition). So the refresher also moves the reflection's database
heartbeat on, and a claim is taken over only when its key is gone *and* that heartbeat is
stale: a second opinion from the database.

Keys expire REFLECT_LIVENESS_TTL_SECONDS after the last refresh. A Redis restarted without
persistence has lost every key, so nothing is judged dead until Redis has been up for a TTL
(the refreshers have put them back by then).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from . import redis_client
from .models import Reflection

logger = logging.getLogger(__name__)
KEY_PREFIX = "reflect:worker:"
CLAIM_PREFIX = "reflect:claim:"


def _ttl() -> int:
    return settings.REFLECT_LIVENESS_TTL_SECONDS


def _interval() -> float:
    return settings.REFLECT_LIVENESS_INTERVAL_SECONDS


def start_heartbeat(hostname: str | None = None) -> threading.Event:
    """Refresh this worker's key every interval until the returned event is set."""
    name = hostname or socket.gethostname()
    stop = threading.Event()

    def beat() -> None:
        client = redis_client.connection()
        while not stop.is_set():
            try:
                client.set(KEY_PREFIX + name, "1", ex=_ttl())
            except redis.RedisError as error:
                logger.warning("worker heartbeat failed: %s", error)
            stop.wait(_interval())
        with suppress(redis.RedisError):
            client.delete(KEY_PREFIX + name)

    threading.Thread(target=beat, name="reflect-heartbeat", daemon=True).start()
    return stop


def workers_alive() -> bool | None:
    """True or False; None when Redis itself cannot be reached."""
    try:
        return (
            next(
                iter(
                    redis_client.connection().scan_iter(
                        match=KEY_PREFIX + "*", count=100
                    )
                ),
                None,
            )
            is not None
        )
    except redis.RedisError:
        return None


# --- Claims -------------------------------------------------------------------------------------


class _ClaimRefresher:
    """One thread per process refreshing the keys of the claims this process holds."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.lock = threading.Lock()
        self.pid: int | None = None

    def add(self, name: str) -> None:
        with self.lock:
            self.names.add(name)
            # A forked pool process inherits the object but not the thread.
            if self.pid != os.getpid():
                self.pid = os.getpid()
                threading.Thread(
                    target=self.run, name="reflect-claims", daemon=True
                ).start()
        _set(name)

    def remove(self, name: str) -> None:
        with self.lock:
            self.names.discard(name)
        with suppress(redis.RedisError):
            redis_client.connection().delete(CLAIM_PREFIX + name)

    def run(self) -> None:
        pid = os.getpid()
        stop = threading.Event()
        touched = 0.0
        while self.pid == pid:
            stop.wait(_interval())
            with self.lock:
                names = list(self.names)
            for name in names:
                _set(name)
            # A third of the grace: a live claim's heartbeat never looks stale to the sweep.
            if names and time.monotonic() - touched >= _db_interval():
                touched = time.monotonic()
                _touch(names)


def _db_interval() -> float:
    return max(_interval(), settings.REFLECT_DEAD_WORKER_GRACE_SECONDS / 3)


def _touch(names: list[str]) -> None:
    """Move the database heartbeat of the reflections these claims hold to now."""
    try:
        Reflection.objects.filter(
            status=Reflection.Status.RUNNING, claimed_by__in=names
        ).update(heartbeat_at=timezone.now())
    except DatabaseError as error:
        # Only the second opinion is lost: the key is still refreshed.
        logger.warning("database heartbeat for %s failed: %s", names, error)
    finally:
        # This thread sleeps between touches; an idle connection should not outlive them.
        connection.close()


def _set(name: str) -> None:
    try:
        redis_client.connection().set(CLAIM_PREFIX + name, "1", ex=_ttl())
    except redis.RedisError as error:
        # The sweep falls back to REFLECT_CLAIM_STALE_SECONDS while keys cannot be written.
        logger.warning("claim heartbeat for %s failed: %s", name, error)


_refresher = _ClaimRefresher()


@contextmanager
def claim_heartbeat(name: str) -> Iterator[None]:
    """Keep `name`'s claim key alive while the block runs; set before the claim is made, so a
    claim without a key is one whose process died (or that never had Redis)."""
    _refresher.add(name)
    try:
        yield
    finally:
        _refresher.remove(name)


def dead_claims(names: list[str]) -> set[str] | None:
    """The names among `names` whose process is gone; None when it cannot be told (Redis is
    unreachable, or restarted less than a TTL ago and its refreshers may not be back yet)."""
    if not names:
        return set()
    try:
        client = redis_client.connection()
        if int(client.info("server")["uptime_in_seconds"]) < _ttl():
            return None
        alive = client.mget([CLAIM_PREFIX + name for name in names])
    except redis.RedisError:
        return None
    return {name for name, value in zip(names, alive, strict=False) if value is None}

"""Whether any Celery worker is alive, from keys workers refresh in Redis.

A worker that dies stops refreshing its key, which expires after TTL seconds, so a page can
say "no worker is running" instead of waiting forever.
"""

import logging
import socket
import threading

import redis

from . import events

logger = logging.getLogger(__name__)
KEY_PREFIX = "reflect:worker:"
TTL = 20
INTERVAL = 5


def start_heartbeat(hostname: str | None = None) -> threading.Event:
    """Refresh this worker's key every INTERVAL seconds until the returned event is set."""
    name = hostname or socket.gethostname()
    stop = threading.Event()

    def beat() -> None:
        client = events.client()
        while not stop.is_set():
            try:
                client.set(KEY_PREFIX + name, "1", ex=TTL)
            except redis.RedisError as error:
                logger.warning("worker heartbeat failed: %s", error)
            stop.wait(INTERVAL)
        try:
            client.delete(KEY_PREFIX + name)
        except redis.RedisError:
            pass

    threading.Thread(target=beat, name="reflect-heartbeat", daemon=True).start()
    return stop


def workers_alive() -> bool | None:
    """True or False; None when Redis itself cannot be reached."""
    try:
        return next(iter(events.client().scan_iter(match=KEY_PREFIX + "*", count=100)), None) is not None
    except redis.RedisError:
        return None

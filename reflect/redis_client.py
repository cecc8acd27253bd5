"""The one shared Redis connection of a process (live events, liveness keys, throttles).

Short timeouts: every caller treats Redis as optional and degrades (a page still answers,
a sweep falls back to database timestamps) rather than hang on it.
"""

import redis
from django.conf import settings

_connection: redis.Redis | None = None


def connection() -> redis.Redis:
    global _connection
    if _connection is None:
        _connection = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=2
        )
    return _connection

"""Failed log-ins counted in Redis per username and per client address, shared by every web process.

After too many failures within the lockout window, further attempts for that username (or from
that address) are refused without checking the password, until the window ends. A successful
log-in clears the username's count. Redis being down lets log-ins through (with a warning):
the password check still stands, and nobody is locked out by an outage.
"""

import hashlib
import logging

import redis
from django.conf import settings
from django.http import HttpRequest

from . import redis_client
from .models import User

logger = logging.getLogger(__name__)


def counted_name(username: str) -> str:
    """The name as Django authenticates it (NFKC, so "ｃａｒｏｌ" is carol), casefolded: every
    spelling that reaches one account shares one count."""
    return User.normalize_username(username).strip().casefold()


def _keys(*, username: str, ip: str) -> list[tuple[str, int]]:
    # Hashed: usernames are arbitrary text and are not needed back.
    user = hashlib.sha256(counted_name(username).encode()).hexdigest()[:32]
    return [
        (f"reflect:login-failures:user:{user}", settings.REFLECT_LOGIN_MAX_FAILURES),
        (f"reflect:login-failures:ip:{ip}", settings.REFLECT_LOGIN_MAX_FAILURES_PER_IP),
    ]


def client_ip(request: HttpRequest) -> str:
    if settings.REFLECT_BEHIND_PROXY:
        # The proxy appends the address it saw: the last entry is the only one it vouches for.
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def locked_for(*, username: str, ip: str) -> int:
    """Seconds until this username or address may try again; 0 when not locked."""
    try:
        pipe = redis_client.connection().pipeline()
        for key, _ in _keys(username=username, ip=ip):
            pipe.get(key)
            pipe.ttl(key)
        replies = pipe.execute()
    except redis.RedisError as error:
        logger.warning("login throttle unavailable, not limiting: %s", error)
        return 0
    wait = 0
    for (_, limit), count, ttl in zip(
        _keys(username=username, ip=ip), replies[::2], replies[1::2], strict=False
    ):
        if count is not None and int(count) >= limit:
            wait = max(
                wait, ttl if ttl and ttl > 0 else settings.REFLECT_LOGIN_LOCKOUT_SECONDS
            )
    return wait


def record_failure(*, username: str, ip: str) -> None:
    try:
        pipe = redis_client.connection().pipeline()
        for key, _ in _keys(username=username, ip=ip):
            pipe.incr(key)
            # The window starts at the first failure and is not extended by later ones.
            pipe.expire(key, settings.REFLECT_LOGIN_LOCKOUT_SECONDS, nx=True)
        pipe.execute()
    except redis.RedisError as error:
        logger.warning("login throttle unavailable, failure not counted: %s", error)


def clear(*, username: str, ip: str) -> None:
    try:
        redis_client.connection().delete(_keys(username=username, ip=ip)[0][0])
    except redis.RedisError as error:
        logger.warning("login throttle unavailable, count not cleared: %s", error)


def lockout_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed log-in attempts. Try again in {minutes} {unit}."

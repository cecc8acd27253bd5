"""Live events from workers to browsers, over Redis pub/sub.

Publishing never raises: a lost event only delays a page until its next poll.
"""

import json
import logging
from urllib.parse import urlsplit

import redis
from django.conf import settings

from . import redis_client

logger = logging.getLogger(__name__)


def channel_for(user_id: int) -> str:
    return f"reflect:user:{user_id}"


def publish(user_id: int, event: dict) -> None:
    try:
        redis_client.connection().publish(channel_for(user_id), json.dumps(event))
    except redis.RedisError as error:
        logger.warning("could not publish %s event: %s", event.get("type"), error)


def stream_url(request) -> str:
    """Where a page opens its EventSource (REFLECT_EVENTS_URL; docs/deploy.md, "Routing").

    Pages and the API come from gunicorn, the stream from uvicorn. Unset, the stream is on
    the page's own host at REFLECT_EVENTS_PORT; a path (``/events/``) means a proxy in front
    routes it on the same origin; a full URL is used as it is.
    """
    if settings.REFLECT_EVENTS_URL:
        return settings.REFLECT_EVENTS_URL
    hostname = urlsplit(f"//{request.get_host()}").hostname or "localhost"
    if ":" in hostname:
        hostname = f"[{hostname}]"
    return f"{request.scheme}://{hostname}:{settings.REFLECT_EVENTS_PORT}/events/"


def stream_origin(request) -> str | None:
    """The stream's origin when it is not the page's own (for CSP connect-src), else None."""
    parts = urlsplit(stream_url(request))
    if not parts.netloc:
        return None
    origin = f"{parts.scheme}://{parts.netloc}"
    return None if origin == f"{request.scheme}://{request.get_host()}" else origin


def allowed_page_origin(request) -> str | None:
    """The Origin of a page on this host (any port) asking for the stream, else None.

    EventSource across ports is a CORS request with credentials: it gets the session cookie
    only if the answer names the page's origin exactly.
    """
    origin = request.headers.get("Origin", "")
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    own = urlsplit(f"//{request.get_host()}").hostname
    if parts.hostname == own or origin in settings.CSRF_TRUSTED_ORIGINS:
        return origin
    return None

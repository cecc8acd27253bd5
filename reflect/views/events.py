"""Server-sent events: one stream per open page, fed by Redis pub/sub.

An async view, so hundreds of idle streams cost a coroutine each, not a thread. Streams end
after STREAM_SECONDS and the browser reconnects, which bounds a stream's life behind proxies
that never close. Pages also poll, so a proxy that buffers or blocks the stream only makes
updates slower, never absent.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator

import redis.asyncio as aioredis
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from ..events import allowed_page_origin, channel_for

STREAM_SECONDS = 300
KEEPALIVE_SECONDS = 15


async def event_stream(request: HttpRequest) -> HttpResponseBase:
    user = await request.auser()
    if not user.is_authenticated:
        response = HttpResponse(status=401)
    else:
        response = StreamingHttpResponse(
            stream(user.pk), content_type="text/event-stream"
        )
        response["Cache-Control"] = "no-cache, no-transform"
        response["X-Accel-Buffering"] = "no"
    # Pages are served from another port (gunicorn); let them read the stream with cookies.
    origin = allowed_page_origin(request)
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Credentials"] = "true"
        response["Vary"] = "Origin"
    return response


async def stream(user_id: int) -> AsyncIterator[str]:
    yield "retry: 3000\n\n"
    client = aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1)
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(channel_for(user_id))
        deadline = time.monotonic() + STREAM_SECONDS
        last_sent = time.monotonic()
        while time.monotonic() < deadline:
            message = await pubsub.get_message(
                ignore_subscribe_messages=True, timeout=1.0
            )
            if message and message["type"] == "message":
                data = (
                    message["data"].decode()
                    if isinstance(message["data"], bytes)
                    else message["data"]
                )
                event_type = json.loads(data).get("type", "message")
                yield f"event: {event_type}\ndata: {data}\n\n"
                last_sent = time.monotonic()
            elif time.monotonic() - last_sent > KEEPALIVE_SECONDS:
                yield ": keepalive\n\n"
                last_sent = time.monotonic()
    except (aioredis.RedisError, OSError):
        yield "event: unavailable\ndata: {}\n\n"
    except asyncio.CancelledError:
        raise
    finally:
        try:
            await pubsub.aclose()
            await client.aclose()
        except (aioredis.RedisError, OSError):
            pass

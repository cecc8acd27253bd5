"""Live events for the browser: workers publish, the web process relays (SSE or polling).

One Redis pub/sub channel per user. Publishing is best effort: the database is the source of
truth, an event only says "look again", so a Redis outage must never fail the work itself.
"""

import json
import logging

import redis
from django.conf import settings

log = logging.getLogger(__name__)


def channel(user_id: int) -> str:
    return f"reflect:user:{user_id}"


def publish(user_id: int, event: dict) -> None:
    """Publish `event` (JSON-serialisable, with a "type") to the user's channel; never raise."""
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        try:
            client.publish(channel(user_id), json.dumps(event))
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001 - a lost event is acceptable, a failed task is not
        log.warning("could not publish %s event for user %s: %s", event.get("type"), user_id, exc)

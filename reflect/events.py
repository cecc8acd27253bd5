"""Live events from workers to browsers, over Redis pub/sub.

Publishing never raises: a lost event only delays a page until its next poll.
"""

import json
import logging

import redis
from django.conf import settings

logger = logging.getLogger(__name__)
_client: redis.Redis | None = None


def channel_for(user_id: int) -> str:
    return f"reflect:user:{user_id}"


def client() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=2
        )
    return _client


def publish(user_id: int, event: dict) -> None:
    try:
        client().publish(channel_for(user_id), json.dumps(event))
    except redis.RedisError as error:
        logger.warning("could not publish %s event: %s", event.get("type"), error)

"""Live events from workers to browsers, over Redis pub/sub.

Publishing never raises: a lost event only delays a page until its next poll.
"""

import json
import logging

import redis

from . import redis_client

logger = logging.getLogger(__name__)


def channel_for(user_id: int) -> str:
    return f"reflect:user:{user_id}"


def publish(user_id: int, event: dict) -> None:
    try:
        redis_client.connection().publish(channel_for(user_id), json.dumps(event))
    except redis.RedisError as error:
        logger.warning("could not publish %s event: %s", event.get("type"), error)

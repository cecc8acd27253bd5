"""Server-sent events carry a worker's event to the person's open pages, and only theirs."""

import asyncio
import json

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async

from reflect import events

from ..factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    """sync_to_async runs ORM calls on its own thread; close that thread's connection so the
    test database can be dropped at the end of the run."""
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


async def read_events(response, count: int, timeout: float = 5) -> list[str]:
    chunks = []

    async def collect():
        async for chunk in response.streaming_content:
            text = chunk.decode() if isinstance(chunk, bytes) else chunk
            if text.startswith("event:"):
                chunks.append(text)
                if len(chunks) == count:
                    return

    await asyncio.wait_for(collect(), timeout)
    return chunks


@pytest.mark.asyncio
async def test_a_published_event_reaches_the_owners_stream(async_client):
    owner = await sync_to_async(make_user)("ann")
    other = await sync_to_async(make_user)("ben")
    await async_client.aforce_login(owner)
    response = await async_client.get("/events/")
    assert response["Content-Type"] == "text/event-stream"
    assert response["X-Accel-Buffering"] == "no"

    async def publish_soon():
        await asyncio.sleep(0.5)
        events.publish(
            other.pk, {"type": "reflection", "id": 99, "status": "succeeded"}
        )
        events.publish(owner.pk, {"type": "reflection", "id": 7, "status": "succeeded"})

    publisher = asyncio.create_task(publish_soon())
    received = await read_events(response, 1)
    await publisher

    assert received[0].startswith("event: reflection\n")
    assert json.loads(received[0].split("data: ", 1)[1]) == {
        "type": "reflection",
        "id": 7,
        "status": "succeeded",
    }


@pytest.mark.asyncio
async def test_the_stream_needs_a_login(async_client):
    response = await async_client.get("/events/")

    assert response.status_code in (302, 401)

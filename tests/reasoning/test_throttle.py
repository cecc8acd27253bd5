"""Provider rate limits shared by all workers through Redis: concurrency slots and a TPM budget.

Requests go through the real `ModelClient` (real `openai` SDK) to the stub server, which counts
how many requests it is serving at once. Each test uses its own model name, so its Redis keys
are its own even when other test runs share the Redis.
"""

import os
import subprocess
import sys
import threading
import time
import uuid

import pytest

from reflect import redis_client
from reflect.reasoning import throttle as throttle_module
from reflect.reasoning.client import ModelClient
from reflect.reasoning.prompt import Prompt
from reflect.reasoning.throttle import Throttle
from tests.stub_openai import answer, usage
from tests.workers import REPO, wait_for

RESULT = {"summary": "s", "findings": [], "follow_up_questions": []}
PROMPT = Prompt("Answer in JSON.", "A short corpus.", "What matters?")


@pytest.fixture
def model():
    name = f"test-throttle-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis_client.connection()
    client.delete(
        throttle_module._key(name, "slots"), throttle_module._key(name, "tokens")
    )


def make_throttle(*, concurrency=0, tpm=0, lease=30.0, max_wait=30.0) -> Throttle:
    return Throttle(
        client=redis_client.connection(),
        max_concurrency=concurrency,
        tokens_per_minute=tpm,
        lease_seconds=lease,
        max_wait_seconds=max_wait,
    )


def make_client(stub, throttle: Throttle) -> ModelClient:
    return ModelClient(
        api_key="sk-test",
        base_url=stub.base_url,
        style="chat",
        profile="openai",
        timeout=10,
        max_retries=0,
        throttle=throttle,
    )


class InFlight:
    """A stub reply that holds each request for `hold` seconds and records the peak overlap."""

    def __init__(self, hold: float, reply=None):
        self.hold = hold
        self.reply = reply or answer(RESULT)
        self.now = 0
        self.peak = 0
        self.arrivals: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, request):
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
            self.arrivals.append(time.monotonic())
        time.sleep(self.hold)
        with self._lock:
            self.now -= 1
        return self.reply(request)


def ask_from_threads(stub, throttle, model, count, **kwargs) -> list:
    errors = []

    def ask():
        client = make_client(stub, throttle)
        try:
            client.complete(
                model=model,
                effort="low",
                prompt=PROMPT,
                max_output_tokens=1000,
                **kwargs,
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            client.close()

    threads = [threading.Thread(target=ask) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return errors


@pytest.mark.parametrize("limit, bounded", [(2, True), (0, False)])
def test_concurrent_requests_at_the_provider_never_exceed_the_limit(
    stub_openai, model, limit, bounded
):
    """Six workers asking at once reach the provider at most `limit` at a time; unlimited (0)
    lets all of them through together, which shows the counting would catch a stampede."""
    in_flight = InFlight(hold=0.3)
    stub_openai.script(*[in_flight] * 6)

    errors = ask_from_threads(stub_openai, make_throttle(concurrency=limit), model, 6)

    assert errors == []
    assert len(stub_openai.requests) == 6
    if bounded:
        assert in_flight.peak == limit
        assert make_throttle(concurrency=limit).in_use(model) == 0, (
            "every slot is released"
        )
    else:
        assert in_flight.peak > 2


def test_the_call_that_would_exceed_the_token_budget_waits_for_the_window(
    stub_openai, model, monkeypatch
):
    """With a 25,000 tokens-per-minute budget and calls of about 12,000 tokens, two go at once
    and the third waits until the first leaves the (here 1.5 s) window."""
    monkeypatch.setattr(throttle_module, "WINDOW_MS", 1500)
    in_flight = InFlight(hold=0, reply=answer(RESULT, usage_=usage(11_900, 100)))
    stub_openai.script(*[in_flight] * 3)
    client = make_client(stub_openai, make_throttle(tpm=25_000))

    for _ in range(3):
        client.complete(
            model=model, effort="low", prompt=PROMPT, max_output_tokens=12_000
        )

    first, second, third = in_flight.arrivals
    assert second - first < 1.0
    assert third - first >= 1.4


def test_billed_tokens_replace_the_estimate(stub_openai, model, monkeypatch):
    """The output limit is only reserved until the answer says what was billed: a call billed
    1,200 tokens leaves room for the next one at once."""
    monkeypatch.setattr(throttle_module, "WINDOW_MS", 60_000)
    in_flight = InFlight(hold=0, reply=answer(RESULT, usage_=usage(1_000, 200)))
    stub_openai.script(*[in_flight] * 2)
    client = make_client(stub_openai, make_throttle(tpm=25_000, max_wait=0.5))

    for _ in range(2):
        client.complete(
            model=model, effort="low", prompt=PROMPT, max_output_tokens=20_000
        )

    assert len(in_flight.arrivals) == 2


def test_a_request_waiting_too_long_is_a_retryable_error(
    stub_openai, model, monkeypatch
):
    """A worker does not sleep for the whole queue: past the wait limit the task retries later."""
    from reflect.reasoning.errors import ReasoningError

    monkeypatch.setattr(throttle_module, "WINDOW_MS", 60_000)
    stub_openai.script(answer(RESULT, usage_=usage(20_000, 0)))
    client = make_client(stub_openai, make_throttle(tpm=25_000, max_wait=0.3))
    client.complete(model=model, effort="low", prompt=PROMPT, max_output_tokens=1_000)

    with pytest.raises(ReasoningError) as raised:
        client.complete(
            model=model, effort="low", prompt=PROMPT, max_output_tokens=10_000
        )

    assert raised.value.retryable
    assert len(stub_openai.requests) == 1


HOLDER = """
import sys, time, django
django.setup()
from reflect import redis_client
from reflect.reasoning.throttle import Throttle
throttle = Throttle(client=redis_client.connection(), max_concurrency=1, tokens_per_minute=0,
                    lease_seconds=0.6, max_wait_seconds=5)
with throttle.request(model=sys.argv[1], tokens=1):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_killed_workers_slot_frees_when_its_lease_expires(stub_openai, model):
    """A live holder keeps its slot past the lease (it renews it); once SIGKILLed, the slot is
    free within the lease and the next request goes through."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "reflect.settings"}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, model],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        throttle = make_throttle(concurrency=1, lease=0.6, max_wait=10)
        time.sleep(1.5)
        assert throttle.in_use(model) == 1, "a live holder renews its lease"
        holder.kill()
        holder.wait(10)

        wait_for(
            lambda: throttle.in_use(model) == 0,
            timeout=5,
            message="the dead holder's lease to expire",
        )
        stub_openai.script(answer(RESULT))
        client = make_client(stub_openai, throttle)
        client.complete(
            model=model, effort="low", prompt=PROMPT, max_output_tokens=1_000
        )
        assert len(stub_openai.requests) == 1
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(10)


def test_a_request_that_gave_up_waiting_for_a_slot_returns_its_tokens(
    stub_openai, model, monkeypatch
):
    """Tokens count against the minute only for requests that were sent."""
    monkeypatch.setattr(throttle_module, "WINDOW_MS", 60_000)
    from reflect.reasoning.errors import ReasoningError

    throttle = make_throttle(concurrency=1, tpm=25_000, max_wait=0.3)
    with throttle.request(model=model, tokens=5_000):
        with pytest.raises(ReasoningError):
            with throttle.request(model=model, tokens=15_000):
                pass
        entries = redis_client.connection().zrange(
            throttle_module._key(model, "tokens"), 0, -1
        )

    assert [e.decode().rsplit(":", 1)[1] for e in entries] == ["5000"]

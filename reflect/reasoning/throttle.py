"""Provider rate limits shared by every worker, through Redis.

Twenty workers each allowed to call at will stampede a provider into 429s; the SDK and task
retries then waste time and sometimes money. Before each request a worker takes

- a concurrency slot for the model: a lease in a sorted set scored by its expiry, renewed by
  a thread while the request runs, so a killed worker's slot frees itself within
  `lease_seconds` instead of being held forever;
- a share of the model's tokens-per-minute budget: the request's estimated tokens (input +
  output limit, as providers count them) recorded in a one-minute sliding window, corrected to
  the billed tokens once the answer arrives.

Both checks run as Lua scripts on Redis's own clock, so workers on different machines agree.
A request larger than the whole budget goes alone in an empty window instead of never.
Limits of 0 mean unlimited and skip Redis altogether. When Redis cannot be reached the
request goes ahead (the provider's own 429s, which are retried, still protect it).
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from django.conf import settings

from reflect import redis_client

from .errors import RETRYABLE, ReasoningError

log = logging.getLogger(__name__)
KEY_PREFIX = "reflect:throttle:"
WINDOW_MS = 60_000

# KEYS[1] slots zset; ARGV: limit, lease ms, lease id. Returns 1 when the slot is taken.
_ACQUIRE_SLOT = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return 1
end
return 0
"""

# KEYS[1] slots zset; ARGV: lease ms, lease id. Extends a lease that still exists.
_RENEW_SLOT = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
  return 1
end
return 0
"""

# KEYS[1] tokens zset (member "id:tokens", score = time sent); ARGV: budget, tokens, id,
# window ms. Returns 0 when recorded, else the milliseconds until enough of the window frees.
_RESERVE_TOKENS = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local window = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local budget, wanted = tonumber(ARGV[1]), tonumber(ARGV[2])
local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local used = 0
for i = 1, #entries, 2 do
  used = used + tonumber(string.match(entries[i], ':(%d+)$'))
end
if used == 0 or used + wanted <= budget then
  redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. wanted)
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
for i = 1, #entries, 2 do
  used = used - tonumber(string.match(entries[i], ':(%d+)$'))
  if used + wanted <= budget or used == 0 then
    return math.max(1, tonumber(entries[i + 1]) + window - now)
  end
end
return window
"""

# KEYS[1] tokens zset; ARGV: id, old tokens, new tokens. Keeps the entry's time.
_CORRECT_TOKENS = """
local old = ARGV[1] .. ':' .. ARGV[2]
local score = redis.call('ZSCORE', KEYS[1], old)
if score then
  redis.call('ZREM', KEYS[1], old)
  redis.call('ZADD', KEYS[1], score, ARGV[1] .. ':' .. ARGV[3])
end
return 0
"""


class Throttle:
    """Per-model concurrency slots and tokens-per-minute budget in one Redis."""

    def __init__(
        self,
        *,
        client: redis.Redis,
        max_concurrency: int,
        tokens_per_minute: int,
        lease_seconds: float,
        max_wait_seconds: float,
    ) -> None:
        self.client = client
        self.max_concurrency = max_concurrency
        self.tokens_per_minute = tokens_per_minute
        self.lease_ms = max(1, int(lease_seconds * 1000))
        self.max_wait = max_wait_seconds
        self._acquire_slot = client.register_script(_ACQUIRE_SLOT)
        self._renew_slot = client.register_script(_RENEW_SLOT)
        self._reserve_tokens = client.register_script(_RESERVE_TOKENS)
        self._correct_tokens = client.register_script(_CORRECT_TOKENS)

    @classmethod
    def from_settings(cls) -> Throttle:
        return cls(
            client=redis_client.connection(),
            max_concurrency=settings.REFLECT_MODEL_MAX_CONCURRENCY,
            tokens_per_minute=settings.REFLECT_MODEL_TPM,
            lease_seconds=settings.REFLECT_MODEL_LEASE_SECONDS,
            max_wait_seconds=settings.REFLECT_MODEL_MAX_WAIT_SECONDS,
        )

    @property
    def enabled(self) -> bool:
        return self.max_concurrency > 0 or self.tokens_per_minute > 0

    @contextmanager
    def request(self, *, model: str, tokens: int) -> Iterator[Reservation]:
        """Wait for a slot and for `tokens` of budget, then hold the slot for the block.

        Raises a retryable `ReasoningError` after `max_wait_seconds`, so the task backs off
        instead of a worker sleeping for the whole queue.
        """
        reservation = Reservation(self, model, tokens)
        if not self.enabled:
            yield reservation
            return
        deadline = time.monotonic() + self.max_wait
        try:
            if self.tokens_per_minute > 0:
                self._wait(deadline, model, lambda: self._try_tokens(reservation))
            if self.max_concurrency > 0:
                try:
                    self._wait(deadline, model, lambda: self._try_slot(reservation))
                except ReasoningError:
                    # Never sent: its tokens must not count against the minute.
                    reservation.settle(0, unsent=True)
                    raise
        except redis.RedisError as error:
            log.warning(
                "rate limiter unavailable, calling %s unthrottled: %s", model, error
            )
            yield reservation
            return
        renewal = self._keep_lease(reservation) if reservation.slot else None
        try:
            yield reservation
        finally:
            if renewal is not None:
                renewal.set()
            if reservation.slot:
                try:
                    self.client.zrem(_key(model, "slots"), reservation.id)
                except redis.RedisError as error:
                    log.warning(
                        "could not release a %s slot (it expires by itself): %s",
                        model,
                        error,
                    )

    def _wait(self, deadline: float, model: str, attempt) -> None:
        while True:
            wait_ms = attempt()
            if wait_ms == 0:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReasoningError(
                    f"the rate limits set for {model} kept this request waiting over "
                    f"{self.max_wait:.0f} s (REFLECT_MODEL_MAX_CONCURRENCY, REFLECT_MODEL_TPM)",
                    kind=RETRYABLE,
                    retry_after=min(60.0, wait_ms / 1000),
                )
            # Jitter keeps waiting workers from asking in lockstep.
            time.sleep(min(remaining, wait_ms / 1000) * random.uniform(0.9, 1.1))

    def _try_slot(self, reservation: Reservation) -> int:
        key = _key(reservation.model, "slots")
        if self._acquire_slot(
            keys=[key], args=[self.max_concurrency, self.lease_ms, reservation.id]
        ):
            reservation.slot = True
            return 0
        # Slots free when a request ends; poll briskly but not in a busy loop.
        return random.randint(20, 60)

    def _try_tokens(self, reservation: Reservation) -> int:
        wait = self._reserve_tokens(
            keys=[_key(reservation.model, "tokens")],
            args=[
                self.tokens_per_minute,
                reservation.tokens,
                reservation.id,
                WINDOW_MS,
            ],
        )
        if int(wait) == 0:
            reservation.counted = True
        return int(wait)

    def _keep_lease(self, reservation: Reservation) -> threading.Event:
        stop = threading.Event()
        key = _key(reservation.model, "slots")

        def renew() -> None:
            while not stop.wait(self.lease_ms / 3000):
                try:
                    self._renew_slot(keys=[key], args=[self.lease_ms, reservation.id])
                except redis.RedisError as error:
                    log.warning(
                        "could not renew a %s slot: %s", reservation.model, error
                    )

        threading.Thread(
            target=renew, name="reflect-throttle-lease", daemon=True
        ).start()
        return stop

    def in_use(self, model: str) -> int:
        """Live slots of `model` (expired leases excluded)."""
        now_ms = int(self.client.time()[0] * 1000)
        return self.client.zcount(_key(model, "slots"), now_ms, "+inf")


class Reservation:
    """What one request holds: maybe a slot, maybe a token entry to correct afterwards."""

    def __init__(self, throttle: Throttle, model: str, tokens: int) -> None:
        self.throttle = throttle
        self.model = model
        self.tokens = max(1, int(tokens))
        self.id = uuid.uuid4().hex
        self.slot = False
        self.counted = False

    def settle(self, billed_tokens: int, *, unsent: bool = False) -> None:
        """Count what the provider billed instead of the estimate (when it said); `unsent`
        removes the entry of a request that never went out."""
        if not self.counted:
            return
        if unsent:
            try:
                self.throttle.client.zrem(
                    _key(self.model, "tokens"), f"{self.id}:{self.tokens}"
                )
                self.counted = False
            except redis.RedisError as error:
                log.warning("could not return unused %s tokens: %s", self.model, error)
            return
        if billed_tokens <= 0 or billed_tokens == self.tokens:
            return
        try:
            self.throttle._correct_tokens(
                keys=[_key(self.model, "tokens")],
                args=[self.id, self.tokens, int(billed_tokens)],
            )
            self.tokens = int(billed_tokens)
        except redis.RedisError as error:
            log.warning("could not correct the %s token budget: %s", self.model, error)


def _key(model: str, kind: str) -> str:
    return f"{KEY_PREFIX}{model}:{kind}"

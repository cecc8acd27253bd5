"""Settings whose values depend on each other: their computed defaults and start-up checks.

Plain functions of plain values, so a test can try a configuration without reloading
reflect.settings; settings.py feeds them what it read from the environment.

The reflection time limits nest, each for a reason:
  visibility timeout > hard limit: Redis redelivers an unacknowledged task only after the
    visibility timeout, so no live task is ever handed to a second worker;
  claim stale threshold > hard limit: no live task outlives its hard limit, so only a dead
    worker's claim can be taken over;
  hard limit > soft limit: the soft limit lets the run release its claim cleanly first;
  soft limit > request timeout × (SDK retries + 1): one whole model request fits in a run.
"""

import math
import socket

from django.core.exceptions import ImproperlyConfigured

# The defaults before these were computed; a computed default never goes below them, so a
# deployment that set only the primary knobs keeps the limits it always had.
SOFT_TIME_LIMIT_FLOOR = 2 * 3600
VISIBILITY_TIMEOUT_FLOOR = 3 * 3600
# A run makes many requests in turn (map parts, then the reduce); a run stopped by its soft
# limit spends one of the task's retries, so the limit leaves room for several whole ones.
REQUESTS_PER_RUN = 4
# Time the soft-limit handler has to save the run and release its claim before the kill.
SOFT_TO_HARD_SECONDS = 300
# A claim refreshed just before its hard limit must not look stale at once.
HARD_TO_STALE_SECONDS = 60
# A long visibility timeout costs little (the sweep rescues a dead worker's reflection long
# before redelivery would) while a short one hands a live task to a second worker.
HARD_TO_VISIBILITY_SECONDS = 1800


def request_budget(request_timeout: float, sdk_max_retries: int) -> float:
    """The longest one model request may take with all of the SDK's retries."""
    return request_timeout * (sdk_max_retries + 1)


def default_soft_time_limit(request_timeout: float, sdk_max_retries: int) -> int:
    budget = request_budget(request_timeout, sdk_max_retries)
    return max(SOFT_TIME_LIMIT_FLOOR, math.ceil(REQUESTS_PER_RUN * budget))


def default_hard_time_limit(soft_time_limit: int) -> int:
    return soft_time_limit + SOFT_TO_HARD_SECONDS


def default_claim_stale_seconds(hard_time_limit: int) -> int:
    return hard_time_limit + HARD_TO_STALE_SECONDS


def default_visibility_timeout(hard_time_limit: int) -> int:
    return max(VISIBILITY_TIMEOUT_FLOOR, hard_time_limit + HARD_TO_VISIBILITY_SECONDS)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _must_exceed(
    name: str, value: float, other: str, other_value: float, why: str
) -> None:
    """`other` is a setting's name, or an expression of named values ending in "= ..."."""
    shown = other if other.endswith("= ") else f"{other}="
    if not value > other_value:
        raise ImproperlyConfigured(
            f"{name}={_number(value)} must exceed {shown}{_number(other_value)}: {why}"
        )


def check_time_limits(
    *,
    request_timeout: float,
    sdk_max_retries: int,
    soft_time_limit: int,
    hard_time_limit: int,
    claim_stale_seconds: int,
    visibility_timeout: int,
) -> None:
    """Refuse limits that do not nest (see the module's docstring for why each must)."""
    budget = request_budget(request_timeout, sdk_max_retries)
    _must_exceed(
        "REFLECT_SOFT_TIME_LIMIT",
        soft_time_limit,
        f"REFLECT_REQUEST_TIMEOUT={_number(request_timeout)} × "
        f"(REFLECT_SDK_MAX_RETRIES={sdk_max_retries} + 1) = ",
        budget,
        "one model request with its retries must fit in a run",
    )
    _must_exceed(
        "REFLECT_HARD_TIME_LIMIT",
        hard_time_limit,
        "REFLECT_SOFT_TIME_LIMIT",
        soft_time_limit,
        "the soft limit must leave the run time to release its claim before the kill",
    )
    _must_exceed(
        "REFLECT_CLAIM_STALE_SECONDS",
        claim_stale_seconds,
        "REFLECT_HARD_TIME_LIMIT",
        hard_time_limit,
        "a live reflection's claim would be taken over by a second worker",
    )
    _must_exceed(
        "REFLECT_VISIBILITY_TIMEOUT",
        visibility_timeout,
        "REFLECT_HARD_TIME_LIMIT",
        hard_time_limit,
        "Redis would deliver a running reflection to a second worker",
    )


def check_token_budget(*, context_tokens: int, output_reserve_tokens: int) -> None:
    _must_exceed(
        "REFLECT_CONTEXT_TOKENS",
        context_tokens,
        "REFLECT_OUTPUT_RESERVE_TOKENS",
        output_reserve_tokens,
        "no room would be left for the documents",
    )


def check_liveness(*, ttl_seconds: float, interval_seconds: float) -> None:
    if interval_seconds * 2 > ttl_seconds:
        raise ImproperlyConfigured(
            f"REFLECT_LIVENESS_TTL_SECONDS={_number(ttl_seconds)} must be at least twice "
            f"REFLECT_LIVENESS_INTERVAL_SECONDS={_number(interval_seconds)}, "
            "or one slow refresh would make a live worker look dead"
        )


def check_extraction(*, give_up_seconds: int, soft_time_limit: int) -> None:
    _must_exceed(
        "REFLECT_EXTRACTION_GIVE_UP_SECONDS",
        give_up_seconds,
        "REFLECT_EXTRACTION_SOFT_TIME_LIMIT",
        soft_time_limit,
        "the sweep would fail documents that are still being read",
    )


SIGNUP_POLICIES = ("open", "invite-only", "closed")


def signup_policy(raw: str, *, default: str) -> str:
    value = raw.strip() or default
    if value not in SIGNUP_POLICIES:
        raise ImproperlyConfigured(
            f"REFLECT_SIGNUP must be open, invite-only or closed (or blank), got {raw!r}"
        )
    return value


def base_url(raw: str, *, host: str, port: int) -> str:
    """REFLECT_BASE_URL as set, else the address served at REFLECT_HOST:REFLECT_PORT."""
    if raw.strip():
        url = raw.strip().rstrip("/")
        if not url.startswith(("http://", "https://")) or url[-3:] == "://":
            raise ImproperlyConfigured(
                f"REFLECT_BASE_URL must be an http:// or https:// address, got {raw!r}"
            )
        return url
    if host in {"", "0.0.0.0", "::"}:
        # Bound to every interface: the machine's name is the best guess at how others reach it.
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"

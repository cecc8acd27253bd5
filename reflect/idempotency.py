"""Idempotent creation: a client that sends the same request twice gets one object.

API clients send an `Idempotency-Key` header; the ask form carries a one-time token. The
first request with a key records which object it made; a repeat with the same body gets that
object back, and a repeat with another body is refused. The record is written in the same
transaction as the object, so a request that fails leaves the key free to try again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .models import IdempotencyKey, User

MAX_KEY_LENGTH = 200


class KeyReused(ValueError):
    """The key was used before with a different request body."""


class KeyTooLong(ValueError):
    """The key is longer than MAX_KEY_LENGTH."""


@dataclass(frozen=True)
class Created:
    object_id: int
    status_code: int
    replayed: bool


def fingerprint(body: bytes | str) -> str:
    data = body.encode() if isinstance(body, str) else body
    return hashlib.sha256(data).hexdigest()


def create_once(
    *,
    owner: User,
    scope: str,
    key: str,
    body: bytes | str,
    create: Callable[[], tuple[int, int]],
) -> Created:
    """Run `create` (returning (object id, status code)) once per `key`; replay it after.

    Without a key, `create` simply runs. Raises KeyReused for the same key with another
    body, and KeyTooLong for a key longer than MAX_KEY_LENGTH.
    """
    if not key:
        object_id, status_code = create()
        return Created(object_id, status_code, replayed=False)
    if len(key) > MAX_KEY_LENGTH:
        raise KeyTooLong(f"an idempotency key is at most {MAX_KEY_LENGTH} characters")
    digest = fingerprint(body)
    earlier = _earlier(owner=owner, scope=scope, key=key, digest=digest)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            object_id, status_code = create()
            IdempotencyKey.objects.create(
                owner=owner,
                scope=scope,
                key=key,
                fingerprint=digest,
                status_code=status_code,
                object_id=object_id,
            )
    except IntegrityError:
        # A concurrent request with the same key committed first: its object stands.
        earlier = _earlier(owner=owner, scope=scope, key=key, digest=digest)
        if earlier is None:
            raise
        return earlier
    return Created(object_id, status_code, replayed=False)


def _earlier(*, owner: User, scope: str, key: str, digest: str) -> Created | None:
    row = IdempotencyKey.objects.filter(owner=owner, scope=scope, key=key).first()
    if row is None:
        return None
    if row.fingerprint != digest:
        raise KeyReused(
            "this Idempotency-Key was already used with a different request body"
        )
    return Created(row.object_id, row.status_code, replayed=True)

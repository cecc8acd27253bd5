"""Personal API tokens: create (the raw token is returned once), revoke, and authenticate.

Only the sha256 of a token is stored, so a database leak does not leak working tokens; the
first characters are kept as `prefix` so a person can tell their tokens apart.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import ApiToken, User
from .models.api_tokens import hash_token

# Recognisable in logs and by secret scanners; the rest is 256 random bits.
TOKEN_PREFIX = "rfl_"
PREFIX_CHARS = 12
MAX_NAME_CHARS = 100
# Recording every use would turn each API read into a write; a minute is precise enough to
# tell a person whether a token is still in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    """The token cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str


def create_token(*, user: User, name: str) -> NewToken:
    """Create a token for `user`; the raw value is in the result and nowhere else."""
    name = " ".join(name.split())
    if not name:
        raise TokenError("give the token a name, for example the tool that will use it")
    if len(name) > MAX_NAME_CHARS:
        raise TokenError(f"the name is longer than {MAX_NAME_CHARS} characters")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:PREFIX_CHARS], key_hash=hash_token(raw)
    )
    return NewToken(token=token, raw=raw)


def revoke_token(*, token: ApiToken) -> bool:
    """Stop a token working; False if it was already revoked."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    return bool(revoked)


def user_for_token(*, raw: str) -> User | None:
    """The active owner of an unrevoked token, or None; records the use at most once a minute."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional, so concurrent requests in the same minute write once.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True)
            | Q(last_used_at__lte=now - LAST_USED_RESOLUTION),
            pk=token.pk,
        ).update(last_used_at=now)
    return token.user

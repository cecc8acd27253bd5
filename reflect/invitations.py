"""Who may sign up (REFLECT_SIGNUP) and the invitations that let someone in when it is
invite-only: made by an administrator in the admin, used once, within their expiry."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .models import Invitation, User

OPEN, INVITE_ONLY, CLOSED = "open", "invite-only", "closed"


class InvitationRefused(Exception):
    """The link cannot make an account; the message says why, for the person holding it."""


def policy() -> str:
    return settings.REFLECT_SIGNUP


def link(invitation: Invitation) -> str:
    return f"{settings.REFLECT_BASE_URL}{reverse('signup')}?invite={invitation.token}"


def usable(*, token: str) -> Invitation:
    """The open invitation behind a link, or InvitationRefused saying why it is not."""
    invitation = Invitation.objects.filter(token=token).first() if token else None
    if invitation is None:
        raise InvitationRefused(
            "Sign-up is by invitation only, and this link is not a valid invitation: "
            "ask an administrator for one."
        )
    if invitation.accepted_at is not None:
        raise InvitationRefused(
            "This invitation has already been used. Log in, or ask an administrator "
            "for a new one."
        )
    if invitation.expires_at <= timezone.now():
        when = date_format(timezone.localtime(invitation.expires_at), "j F Y")
        raise InvitationRefused(
            f"This invitation expired on {when}: ask an administrator for a new one."
        )
    return invitation


def accept(*, token: str, user: User) -> User:
    """Save the new (unsaved) account and use up the invitation, both or neither.

    The conditional UPDATE claims the invitation, so of two sign-ups racing on one link
    exactly one gets an account."""
    with transaction.atomic():
        now = timezone.now()
        claimed = Invitation.objects.filter(
            token=token, accepted_at__isnull=True, expires_at__gt=now
        ).update(accepted_at=now)
        if not claimed:
            usable(token=token)  # raises, saying why
            raise InvitationRefused("This invitation cannot be used.")
        user.save()
        Invitation.objects.filter(token=token).update(accepted_by=user)
    return user

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def default_expiry():
    return timezone.now() + timedelta(days=settings.REFLECT_INVITATION_DAYS)


class Invitation(models.Model):
    """A one-time sign-up link an administrator made (REFLECT_SIGNUP=invite-only).

    Usable while `accepted_at` is empty and `expires_at` is ahead; signing up sets
    `accepted_at` with a conditional UPDATE, so one link makes one account. The token is kept
    as it is (not hashed), unlike API tokens: the admin shows the link until it is used, and
    a stolen unused link only lets someone sign up, as the invitee could.
    """

    email = models.EmailField(
        help_text="The account made with this link gets this address."
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="invitations_made",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="invitation",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

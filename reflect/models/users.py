import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class User(AbstractUser):
    """A person using Reflect, with how they want to be told a reflection finished."""

    notify_by_email = models.BooleanField(default=False)
    webhook_url = models.URLField(blank=True, max_length=500)
    # Signs webhook bodies (HMAC-SHA256) so the receiver can tell they came from us.
    webhook_secret = models.CharField(max_length=64, default=new_webhook_secret)

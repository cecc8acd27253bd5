from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person using Reflect. Custom from the first migration so fields can be added later."""

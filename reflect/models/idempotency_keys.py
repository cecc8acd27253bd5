from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """A creating request already answered: the same key and body again get the same object.

    `scope` names the operation (e.g. "api:reflections.create"); `fingerprint` is a hash of
    the request body, so the same key with another body is refused instead of replayed.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "scope", "key"], name="idempotency_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"

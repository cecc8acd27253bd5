from django.conf import settings
from django.db import models

from .reflections import Reflection


class Notification(models.Model):
    """Tells a person that one of their reflections finished (succeeded or failed).

    At most one per reflection: a redelivered task cannot notify twice, and a retried
    reflection's later outcome replaces the earlier one and is unread again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    reflection = models.OneToOneField(
        "reflect.Reflection", on_delete=models.CASCADE, related_name="notification"
    )
    # The reflection's status when it finished.
    status = models.CharField(max_length=12, choices=Reflection.Status.choices)
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

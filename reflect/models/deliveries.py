import uuid

from django.db import models


class Delivery(models.Model):
    """An email or webhook owed for a notification: the outbox.

    Written in the transaction that finishes the reflection, so a worker killed after the
    commit, or a queue that is down at the finish, loses nothing: the sweep sends every row
    still pending. Delivery is at least once; `uuid` is the same on every attempt
    (`X-Reflect-Delivery` header, email Message-ID) so receivers can drop duplicates.

    pending → sent, or pending → failed (refused, or out of attempts). A sender claims a
    row by moving `claimed_until` on with a conditional UPDATE; a sender that dies leaves a
    claim that expires.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(
        "reflect.Notification", on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    destination = models.CharField(max_length=500)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} for notification {self.notification_id}"

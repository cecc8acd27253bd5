from django.db import models


class UnsentMessage(models.Model):
    """A queue message that could not be published (Redis was down): the sweep sends it
    once the queue is back, so work saved during an outage starts within a sweep interval
    instead of waiting for the slower re-send of stale rows."""

    task_name = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"

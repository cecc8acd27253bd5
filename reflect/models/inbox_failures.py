from django.conf import settings
from django.db import models


class InboxFailure(models.Model):
    """A file of a person's inbox folder that could not be ingested: `<folder>/failed/<name>`.

    The scan writes the row when it moves a file to failed/ (reflect/inbox.py), so the
    documents page lists failures with one indexed query instead of reading a disk on every
    view (the web process may not even have the inbox disk). The file and its
    `<name>.reason.txt` stay on disk as before; a scan drops the row of a file someone
    removed by hand. `retry_requested` is set by the Retry button when the file is not on
    this machine: the next scan does the retry there.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_failures",
    )
    name = models.CharField(max_length=255)
    collection_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    retry_requested = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="inbox_failure_unique_file_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.name

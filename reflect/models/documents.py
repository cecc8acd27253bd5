from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse


def original_path(document: "Document", filename: str) -> str:
    # Never the user's file name: it may hold path separators or control characters.
    return f"originals/{document.owner_id}/{document.sha256}{PurePath(filename).suffix[:10].lower()}"


class Document(models.Model):
    """An uploaded file and the text extracted from it.

    Status moves pending → extracting → ready | failed. A failed document may be re-extracted
    (failed → pending). `segments` maps character ranges of `text` to where they came from, so
    a quote can be traced back to its page, paragraph or cue: a list of
    `{"start", "end", "page"}` (PDF), `{"start", "end", "paragraph", "part"}` (DOCX: part is
    body, table, header, footer, footnote, endnote or comment; tables add "table", "row",
    "cell"), `{"start", "end", "time", "seconds", "speaker"}` (transcripts) or
    `{"start", "end", "line"}` (plain text and Markdown). Ranges are ordered and disjoint.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"
        TXT = "txt", "Plain text"
        MD = "md", "Markdown"
        VTT = "vtt", "WebVTT transcript"
        SRT = "srt", "SubRip transcript"

    class Status(models.TextChoices):
        PENDING = "pending", "Queued"
        EXTRACTING = "extracting", "Extracting"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=255)
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to=original_path, max_length=500)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(blank=True)
    text = models.TextField(blank=True)
    segments = models.JSONField(default=list, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    words = models.PositiveIntegerField(null=True, blank=True)
    tokens = models.PositiveIntegerField(null=True, blank=True)
    speakers = models.JSONField(default=list, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    extracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "sha256"], name="document_unique_bytes_per_owner"
            ),
        ]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("document", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED}

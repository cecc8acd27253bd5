from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse


class Reflection(models.Model):
    """One question asked of a frozen snapshot of documents.

    Status transitions:
        queued → running      a worker claimed it (conditional UPDATE; `claimed_by` says who)
        running → succeeded   the answer was verified and saved
        running → failed      a permanent error, or transient errors beyond the retry budget
        running → queued      a transient error: the claim is released before the task retry
        running → running     a redelivered task takes over a claim gone stale (dead worker)
        queued | running → cancelled   a person cancelled it; a running worker notices
                                       between model calls and stops without saving
        failed | cancelled → queued    retried by a person; finished map parts are kept
    Worker writes after the claim are conditional on (running, claimed_by), so a cancelled or
    taken-over reflection is never overwritten by a late worker.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Provider(models.TextChoices):
        OPENAI = "openai", "OpenAI-compatible model"
        OFFLINE = "offline", "Offline analyzer"

    class Effort(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class ErrorKind(models.TextChoices):
        RETRYABLE = "retryable", "Temporary problem (retries exhausted)"
        CONTEXT_OVERFLOW = "context_overflow", "Too long for the model"
        PERMANENT = "permanent", "Rejected by the model provider"
        INVALID_OUTPUT = "invalid_output", "The model's answer was unusable"
        SNAPSHOT = "snapshot", "The documents are no longer available"
        INTERNAL = "internal", "Internal error"

    FINISHED = {Status.SUCCEEDED, Status.FAILED, Status.CANCELLED}

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    collection = models.ForeignKey(
        "reflect.Collection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflections",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    # The schedule that started this run, if any; its previous run is what it is compared with.
    schedule = models.ForeignKey(
        "reflect.Schedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
    )
    question = models.TextField()
    preset = models.CharField(max_length=32, blank=True)
    provider = models.CharField(max_length=16, choices=Provider.choices)
    model = models.CharField(max_length=100, blank=True)
    map_model = models.CharField(max_length=100, blank=True)
    effort = models.CharField(
        max_length=8, choices=Effort.choices, default=Effort.MEDIUM
    )
    # OpenAI's flex tier (about half price, slower, sometimes unavailable): chosen per
    # reflection and the default for scheduled runs.
    not_urgent = models.BooleanField(
        default=False,
        verbose_name="Not urgent",
        help_text="Cheaper and slower: OpenAI's flex tier (about half price).",
    )
    # Ask several independent answers and keep what they agree on (REFLECT_CONSENSUS_SAMPLES).
    consensus = models.BooleanField(
        default=False,
        verbose_name="Consensus",
        help_text="Ask several independent answers and keep what they agree on "
        "(costs several times as much).",
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    # "preparing", "part 2 of 5", "synthesising", "verifying": shown while running.
    phase = models.CharField(max_length=60, blank=True)
    parts_done = models.PositiveIntegerField(default=0)
    parts_total = models.PositiveIntegerField(default=0)
    # [{"id", "sha256", "title"}] of the documents as they were when the question was asked.
    snapshot = models.JSONField(default=list)
    estimate = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    # Which documents and segments went into which call, and what was left out and why.
    manifest = models.JSONField(default=dict, blank=True)
    # {call key: response id} of OpenAI background responses still computing, saved before
    # waiting: a resumed run polls the same response instead of paying for a new one.
    background_responses = models.JSONField(default=dict, blank=True)
    # Totals over every call made: input_tokens, cached_tokens, output_tokens, reasoning_tokens.
    usage = models.JSONField(default=dict, blank=True)
    # USD over every call made; None (unknown) once a call's model has no known price.
    cost_usd = models.DecimalField(
        max_digits=12, decimal_places=6, default=Decimal("0"), null=True, blank=True
    )
    error = models.TextField(blank=True)
    error_kind = models.CharField(max_length=20, choices=ErrorKind.choices, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["status", "heartbeat_at"]),
        ]

    def __str__(self) -> str:
        return self.question[:80]

    def get_absolute_url(self) -> str:
        return reverse("reflection", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def document_ids(self) -> list[int]:
        return [item["id"] for item in self.snapshot]


class ReflectionPart(models.Model):
    """A finished model call of a map-reduce run, kept so a retried task does not pay twice.

    `key` fingerprints what went into the call (model, effort, question and the exact document
    slices), so a part is reused only for an identical request; a re-plan with smaller batches
    produces new keys.
    """

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="parts"
    )
    key = models.CharField(max_length=64)
    index = models.PositiveIntegerField()
    slices = models.JSONField(default=list)
    result = models.JSONField()
    usage = models.JSONField(default=dict)
    model = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reflection", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "key"], name="reflection_part_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"part {self.index} of reflection {self.reflection_id}"

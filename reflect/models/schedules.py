from django.conf import settings
from django.db import models
from django.urls import reverse

from .reflections import Reflection


class Schedule(models.Model):
    """A question asked of a collection again and again, by default over only what is new.

    Each run is an ordinary Reflection linked back here (`Reflection.schedule`). `next_run_at`
    is claimed with a conditional UPDATE so two beat ticks or two schedulers never start the
    same run twice.
    """

    class Cadence(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        CRON = "cron", "Cron expression"

    class Scope(models.TextChoices):
        NEW = "new", "Only documents added since the last run"
        ALL = "all", "Every document in the collection"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedules"
    )
    collection = models.ForeignKey(
        "reflect.Collection", on_delete=models.CASCADE, related_name="schedules"
    )
    question = models.TextField()
    preset = models.CharField(max_length=32, blank=True)
    effort = models.CharField(
        max_length=8,
        choices=Reflection.Effort.choices,
        default=Reflection.Effort.MEDIUM,
    )
    cadence = models.CharField(
        max_length=8, choices=Cadence.choices, default=Cadence.WEEKLY
    )
    # Monday is 0, as in datetime.weekday(); used by the weekly cadence.
    weekday = models.PositiveSmallIntegerField(default=0)
    # Local time (settings.TIME_ZONE) of day for the daily and weekly cadences.
    time_of_day = models.TimeField(default="08:00")
    # Five fields, minute hour day-of-month month day-of-week; used by the cron cadence.
    cron = models.CharField(max_length=100, blank=True)
    scope = models.CharField(max_length=4, choices=Scope.choices, default=Scope.NEW)
    enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    # When the last run started; "what is new" means documents added after this moment.
    last_run_at = models.DateTimeField(null=True, blank=True)
    # What happened last time, in one line ("skipped: nothing new since …", "started #12").
    last_outcome = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["collection__name", "id"]
        indexes = [models.Index(fields=["enabled", "next_run_at"])]

    def __str__(self) -> str:
        return f"{self.get_cadence_display()}: {self.question[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("collection", args=[self.collection_id])

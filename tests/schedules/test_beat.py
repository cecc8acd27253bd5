"""Beat's entries for scheduled reflections and the inbox name real tasks, and each task runs
its service (called as the worker would, in-process)."""

import pytest
import time_machine
from django.conf import settings

from reflect import tasks
from reflect.celery import app
from reflect.models import Reflection

from ..factories import make_user
from .helpers import add_document, at, make_collection, make_schedule


def test_the_beat_entries_name_registered_tasks():
    app.loader.import_default_modules()
    entries = {
        name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
    }

    assert entries["run-due-schedules"] == "reflect.tasks.run_due_schedules"
    assert entries["scan-inbox"] == "reflect.tasks.scan_inbox"
    assert {"reflect.tasks.run_due_schedules", "reflect.tasks.scan_inbox"} <= set(
        app.tasks
    )


@pytest.mark.django_db
def test_the_tick_task_starts_due_schedules():
    with time_machine.travel(at("2026-11-14 12:00"), tick=False):
        collection = make_collection(make_user())
        add_document(collection, "Standup")
        schedule = make_schedule(collection, now=at("2026-11-14 12:00"))

    with time_machine.travel(at("2026-11-15 08:00"), tick=False):
        tasks.run_due_schedules()

    assert Reflection.objects.get().schedule == schedule


@pytest.mark.django_db
def test_the_scan_task_scans_the_inbox(settings, tmp_path):
    settings.REFLECT_INBOX_DIR = tmp_path / "inbox"
    make_user("ada")

    tasks.scan_inbox()

    assert (tmp_path / "inbox/ada").is_dir()

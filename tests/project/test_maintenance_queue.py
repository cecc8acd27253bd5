"""Periodic work is routed to its own queue so it never waits behind long reflections."""

import subprocess
import sys

from django.conf import settings

from tests.workers import REPO


def test_every_beat_entry_goes_to_the_maintenance_queue():
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert (
            entry.get("options", {}).get("queue") == settings.REFLECT_MAINTENANCE_QUEUE
        ), name


def test_the_maintenance_queue_follows_the_queue_name_unless_set():
    code = "from django.conf import settings; print(settings.REFLECT_MAINTENANCE_QUEUE)"
    env = {
        "DJANGO_SETTINGS_MODULE": "reflect.settings",
        "REFLECT_QUEUE": "team",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.strip() == "team.maintenance"

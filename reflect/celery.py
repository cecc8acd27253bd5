import os

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflect.settings")

app = Celery("reflect")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["reflect"])

_heartbeat = {}


@worker_ready.connect
def announce_worker(sender=None, **kwargs):
    from .liveness import start_heartbeat

    _heartbeat["stop"] = start_heartbeat(getattr(sender, "hostname", None))


@worker_shutdown.connect
def retire_worker(**kwargs):
    if "stop" in _heartbeat:
        _heartbeat["stop"].set()

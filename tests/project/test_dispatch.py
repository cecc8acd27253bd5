"""Services start tasks by name; every name they use is a task the worker knows."""

import pytest

from reflect import dispatch
from reflect.celery import app


def test_every_task_name_services_send_is_registered_with_the_worker():
    app.loader.import_default_modules()

    assert set(dispatch.TASK_NAMES) <= set(app.tasks)


def test_an_unknown_task_name_is_refused_before_anything_is_sent():
    with pytest.raises(ValueError, match="unknown task"):
        dispatch.send("reflect.tasks.no_such_task", 1)


@pytest.mark.django_db
def test_a_message_the_queue_refused_is_kept_and_sent_by_the_next_sweep(
    monkeypatch, queued_tasks
):
    """Work saved while Redis is down starts one sweep after Redis is back, not after the
    slower re-send of stale rows."""
    from kombu.exceptions import OperationalError

    from reflect.models import UnsentMessage
    from reflect.sweeps import sweep_stale_work

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(app, "send_task", broker_down)
    assert dispatch.send(dispatch.RUN_REFLECTION, 41) is False
    assert dispatch.send(dispatch.EXTRACT_DOCUMENT, 42) is False
    assert sweep_stale_work().unsent_sent == 0  # still down: kept
    monkeypatch.undo()

    assert sweep_stale_work().unsent_sent == 2

    assert not UnsentMessage.objects.exists()
    assert queued_tasks() == [
        ("reflect.tasks.run_reflection", [41]),
        ("reflect.tasks.extract_document", [42]),
    ]

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

"""The whole path on a real Celery worker, real Redis and the test database: enqueue on
commit, a transient error retried by the task, verified findings, one notification."""

import pytest

from reflect.models import Notification, Reflection
from reflect.reflections.asking import create_reflection
from tests.stub_openai import answer, error
from tests.workers import wait_for

from .conftest import API_KEY
from .helpers import good_result


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_reflection_runs_on_a_real_worker(stub_openai, start_worker, owner, meetings):
    worker = start_worker(
        env={
            "OPENAI_BASE_URL": stub_openai.base_url,
            "OPENAI_API_KEY": API_KEY,
            "REFLECT_PROVIDER": "openai",
            "REFLECT_MODEL": "gpt-5.6",
            "REFLECT_MAP_MODEL": "gpt-5.6",
            "REFLECT_SDK_MAX_RETRIES": "0",
            "REFLECT_RETRY_BACKOFF_SECONDS": "0",
            "REFLECT_REQUEST_TIMEOUT": "10",
            "REFLECT_SOFT_TIME_LIMIT": "60",
            "REFLECT_HARD_TIME_LIMIT": "90",
        }
    )
    stub_openai.script(
        error(503, "overloaded", type_="server_error"),
        answer(good_result(meetings[0].pk, meetings[1].pk)),
    )

    reflection = create_reflection(
        owner=owner, preset="blind_spots", document_ids=[d.pk for d in meetings]
    )

    def finished():
        row = Reflection.objects.get(pk=reflection.pk)
        return row if row.is_finished else None

    done = wait_for(
        finished, timeout=30, message=f"the reflection to finish\n{worker.log()}"
    )
    assert done.status == Reflection.Status.SUCCEEDED, done.error
    assert done.attempts == 2
    assert len(stub_openai.requests) == 2
    assert [f["supported"] for f in done.result["findings"]] == [True, True]
    assert all(e["verified"] for f in done.result["findings"] for e in f["evidence"])
    assert Notification.objects.filter(reflection=done, user=owner).count() == 1

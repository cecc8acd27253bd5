"""With no model, or when chosen, the offline analyzer answers; quotes are still verified."""

import pytest

from reflect.models import Notification, Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection

pytestmark = pytest.mark.django_db


def test_offline_reflection_succeeds_without_any_request(stub_openai, owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="unanswered_questions",
        provider="offline",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED
    assert stub_openai.requests == []
    assert finished.manifest["mode"] == "offline"
    assert set(finished.usage.values()) == {0} and finished.cost_usd == 0
    assert finished.result["summary"].startswith("Offline analyzer")
    for finding in finished.result["findings"]:
        assert all(item["verified"] for item in finding["evidence"])
    assert (
        Notification.objects.filter(reflection=finished, status="succeeded").count()
        == 1
    )

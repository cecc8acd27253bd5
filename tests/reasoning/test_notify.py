"""Finishing a reflection notifies its owner once, and owes the email/webhook delivery."""

import pytest

from reflect.models import Notification
from reflect.reflections.asking import create_reflection
from reflect.reflections.lifecycle import retry_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer, error

from .helpers import good_result

pytestmark = pytest.mark.django_db


def test_success_notifies_and_owes_the_email_sent_after_commit(
    stub_openai, owner, meetings, queued_tasks, django_capture_on_commit_callbacks
):
    owner.email, owner.notify_by_email = "owner@example.com", True
    owner.save()
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    with django_capture_on_commit_callbacks(execute=True):
        run_reflection(reflection_id=reflection.pk)

    notification = Notification.objects.get(reflection=reflection)
    assert notification.user == owner and notification.status == "succeeded"
    assert (
        notification.message
        == "Reflection ready: What are the biggest risks, and whose job is each?"
    )
    assert not notification.is_read
    delivery = notification.deliveries.get()
    assert delivery.channel == "email" and delivery.status == "pending"
    assert queued_tasks() == [("reflect.tasks.send_delivery", [delivery.pk])]


def test_a_retried_reflection_keeps_one_notification_with_the_latest_outcome(
    stub_openai, owner, meetings
):
    stub_openai.script(
        error(401, "bad key", code="invalid_api_key"),
        answer(good_result(meetings[0].pk, meetings[1].pk)),
    )
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    failed = run_reflection(reflection_id=reflection.pk)
    Notification.objects.filter(reflection=failed).update(read_at="2026-01-01T00:00Z")

    retry_reflection(reflection=failed, enqueue=False)
    run_reflection(reflection_id=reflection.pk)

    notification = Notification.objects.get(reflection=reflection)
    assert notification.status == "succeeded" and not notification.is_read

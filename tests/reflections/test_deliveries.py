"""The outbox: every email and webhook a notification owes is a row written with it, sent
at least once with the same delivery id, retried with backoff, and failed visibly."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reflect import deliveries
from reflect.models import Delivery
from reflect.sweeps import sweep_stale_work

from ..factories import make_user
from .test_notifications import Receiver, receiver  # noqa: F401 (fixture)
from .test_notifications import notify as notification_for

pytestmark = pytest.mark.django_db


def person(*, email="", webhook_url=""):
    user = make_user()
    user.email, user.notify_by_email, user.webhook_url = email, bool(email), webhook_url
    user.save()
    return user


def due_now(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_a_notification_owes_one_delivery_per_chosen_channel_sent_after_commit(
    django_capture_on_commit_callbacks, queued_tasks
):
    user = person(email="a@example.org", webhook_url="https://example.org/hook")
    quiet = make_user("quiet")
    quiet.email = "quiet@example.org"  # an address, but mail not chosen
    quiet.save()

    with django_capture_on_commit_callbacks(execute=True):
        owed = deliveries.owe(notification=notification_for(user))
        assert deliveries.owe(notification=notification_for(quiet)) == []
        assert queued_tasks() == []  # nothing leaves before the commit

    assert [d.channel for d in owed] == ["email", "webhook"]
    assert all(d.status == "pending" for d in owed)
    assert queued_tasks() == [("reflect.tasks.send_delivery", [d.pk]) for d in owed]


def test_an_email_carries_its_delivery_id_as_message_id():
    user = person(email="keen@example.org")
    [delivery] = deliveries.owe(notification=notification_for(user))

    assert deliveries.deliver(delivery_id=delivery.pk).status == "sent"

    assert [m.to for m in mail.outbox] == [["keen@example.org"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<{delivery.uuid}@reflect>"
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.sent_at is not None


def test_a_webhook_is_signed_and_names_its_delivery(settings, receiver):
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = True
    user = person(webhook_url=receiver)
    [delivery] = deliveries.owe(
        notification=notification_for(
            user, result={"summary": "S", "findings": [], "follow_up_questions": []}
        )
    )

    deliveries.deliver(delivery_id=delivery.pk)

    headers, body = Receiver.received[0]
    payload = json.loads(body)
    assert payload["status"] == "succeeded" and payload["summary"] == "S"
    assert headers["X-Reflect-Delivery"] == str(delivery.uuid)
    assert payload["delivery_id"] == str(delivery.uuid)
    expected = hmac.new(
        user.webhook_secret.encode(),
        f"{headers['X-Reflect-Timestamp']}.".encode() + body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["X-Reflect-Signature"] == f"sha256={expected}"


def test_a_sent_delivery_is_never_sent_again():
    user = person(email="once@example.org")
    [delivery] = deliveries.owe(notification=notification_for(user))

    deliveries.deliver(delivery_id=delivery.pk)
    assert deliveries.deliver(delivery_id=delivery.pk) is None

    assert len(mail.outbox) == 1


def test_a_delivery_held_by_a_live_sender_is_not_sent_by_another():
    user = person(email="held@example.org")
    [delivery] = deliveries.owe(notification=notification_for(user))
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() + timedelta(minutes=1)
    )

    assert deliveries.deliver(delivery_id=delivery.pk) is None
    assert mail.outbox == []


def test_a_failing_receiver_is_retried_with_the_same_id_then_failed_visibly(
    settings,
    receiver,
    client,
):
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = True
    settings.REFLECT_DELIVERY_MAX_ATTEMPTS = 3
    Receiver.status = 503
    user = person(webhook_url=receiver)
    [delivery] = deliveries.owe(notification=notification_for(user))

    first = deliveries.deliver(delivery_id=delivery.pk)
    assert first.status == "pending" and 8 <= first.retry_in <= 12
    assert deliveries.deliver(delivery_id=delivery.pk) is None  # not due yet
    due_now(delivery)
    second = deliveries.deliver(delivery_id=delivery.pk)
    assert 16 <= second.retry_in <= 24
    due_now(delivery)
    assert deliveries.deliver(delivery_id=delivery.pk).status == "failed"

    delivery.refresh_from_db()
    assert delivery.attempts == 3 and "503" in delivery.last_error
    assert {h["X-Reflect-Delivery"] for h, _ in Receiver.received} == {
        str(delivery.uuid)
    }
    client.force_login(user)
    page = client.get("/accounts/settings/").content.decode()
    assert "Failed" in page and "503" in page


def test_a_refused_receiver_fails_at_once(settings, receiver):
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = True
    Receiver.status = 410
    user = person(webhook_url=receiver)
    [delivery] = deliveries.owe(notification=notification_for(user))

    assert deliveries.deliver(delivery_id=delivery.pk).status == "failed"
    assert len(Receiver.received) == 1


def test_the_sweep_sends_an_owed_delivery_whose_message_was_lost(
    settings, queued_tasks, django_capture_on_commit_callbacks
):
    user = person(email="lost@example.org")
    [delivery] = deliveries.owe(notification=notification_for(user))
    assert queued_tasks() == []  # the message never left (no commit in this test)
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now()
        - timedelta(seconds=settings.REFLECT_DELIVERY_RESEND_AFTER_SECONDS + 1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = sweep_stale_work()

    assert report.deliveries_resent == [delivery.pk]
    assert ("reflect.tasks.send_delivery", [delivery.pk]) in queued_tasks()

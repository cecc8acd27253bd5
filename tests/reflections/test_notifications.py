"""The bell, the list, read state, and email and webhook delivery of finished reflections."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from reflect import notifications, webhooks
from reflect.models import Notification

from ..factories import make_reflection, make_user

pytestmark = pytest.mark.django_db


def notify(user, **fields):
    reflection = make_reflection(user, **fields)
    return Notification.objects.create(
        user=user,
        reflection=reflection,
        status=reflection.status,
        message=f"Reflection ready: {reflection.question}",
    )


def test_every_page_shows_the_unread_count(client, owner):
    notify(owner)
    notify(owner)

    html = client.get("/collections/").content.decode()

    assert 'data-unread="2"' in html


def test_the_bell_fragment_refreshes_on_events_and_every_five_seconds(client, owner):
    notify(owner)

    html = client.get("/notifications/bell/").content.decode()

    assert 'hx-trigger="every 5s, reflect-event from:body"' in html
    assert 'data-unread="1"' in html


def test_mark_one_and_mark_all_read(client, owner):
    first, _second, _third = notify(owner), notify(owner), notify(owner)

    client.post(f"/notifications/{first.pk}/read/")
    assert notifications.unread(owner).count() == 2

    client.post("/notifications/read-all/")
    assert notifications.unread(owner).count() == 0


def test_the_list_links_each_notification_to_its_reflection(client, owner):
    n = notify(owner)

    html = client.get("/notifications/").content.decode()

    assert f'href="/reflections/{n.reflection_id}/"' in html


def test_a_stranger_cannot_see_or_read_your_notifications(client, owner):
    n = notify(make_user("other"))

    assert client.post(f"/notifications/{n.pk}/read/").status_code == 404
    assert "Reflection ready" not in client.get("/notifications/").content.decode()
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_email_is_sent_only_to_people_who_opted_in():
    keen = make_user("keen")
    keen.email, keen.notify_by_email = "keen@example.org", True
    keen.save()
    quiet = make_user("quiet")
    quiet.email = "quiet@example.org"
    quiet.save()

    assert notifications.send_email(notification=notify(keen)) is True
    assert notifications.send_email(notification=notify(quiet)) is False
    assert [m.to for m in mail.outbox] == [["keen@example.org"]]
    assert "Reflection ready" in mail.outbox[0].subject


class Receiver(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(Receiver.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.received, Receiver.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_the_webhook_posts_a_signed_summary(settings, receiver):
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = True
    user = make_user()
    user.webhook_url = receiver
    user.save()

    notifications.send_webhook(
        notification=notify(
            user, result={"summary": "S", "findings": [], "follow_up_questions": []}
        )
    )

    headers, body = Receiver.received[0]
    payload = json.loads(body)
    assert payload["status"] == "succeeded" and payload["summary"] == "S"
    expected = hmac.new(
        user.webhook_secret.encode(),
        f"{headers['X-Reflect-Timestamp']}.".encode() + body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["X-Reflect-Signature"] == f"sha256={expected}"


def test_webhooks_to_loopback_and_private_addresses_are_refused_by_default(settings):
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = False

    for url in [
        "http://127.0.0.1:9/x",
        "http://10.1.2.3/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest",
    ]:
        with pytest.raises(webhooks.WebhookRefused, match="private address"):
            webhooks.check_destination(url, allow_private=False)
    with pytest.raises(webhooks.WebhookRefused, match="http"):
        webhooks.check_destination("file:///etc/passwd", allow_private=False)


def test_a_failing_receiver_is_a_retryable_failure_and_a_4xx_is_not(settings, receiver):
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = True
    Receiver.status = 503
    with pytest.raises(webhooks.WebhookFailed):
        webhooks.post(url=receiver, secret="s", payload={})
    Receiver.status = 410
    with pytest.raises(webhooks.WebhookRefused):
        webhooks.post(url=receiver, secret="s", payload={})


def test_the_settings_page_refuses_a_private_webhook_url(client, owner, settings):
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = False

    response = client.post(
        "/accounts/settings/",
        {"email": "", "webhook_url": "http://127.0.0.1:8000/hook"},
    )

    assert "private address" in response.content.decode()
    owner.refresh_from_db()
    assert owner.webhook_url == ""


def test_new_notifications_queue_email_and_webhook_after_commit(
    django_capture_on_commit_callbacks, queued_tasks
):
    user = make_user()
    user.email, user.notify_by_email, user.webhook_url = (
        "a@example.org",
        True,
        "https://example.org/hook",
    )
    user.save()
    n = notify(user)

    with django_capture_on_commit_callbacks(execute=True):
        notifications.enqueue_delivery(notification=n)

    assert queued_tasks() == [
        ("reflect.tasks.send_notification_email", [n.pk]),
        ("reflect.tasks.send_notification_webhook", [n.pk]),
    ]

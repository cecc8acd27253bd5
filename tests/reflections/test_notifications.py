"""The bell, the list, read state, and which webhook addresses may be called."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

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

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


@pytest.mark.parametrize(
    "url",
    [
        "http://[64:ff9b::7f00:1]:6379/",  # NAT64 for 127.0.0.1
        "http://[64:ff9b::a00:1]/",  # NAT64 for 10.0.0.1
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped loopback
        "http://[::ffff:192.168.1.1]/",  # IPv4-mapped private
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://0.0.0.0:8000/",
        "http://[fe80::1]/",
    ],
)
def test_ipv6_forms_of_internal_addresses_are_refused(url):
    with pytest.raises(webhooks.WebhookRefused, match="private address"):
        webhooks.check_destination(url, allow_private=False)


class Redirector(BaseHTTPRequestHandler):
    target = ""

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(307)
        self.send_header("Location", Redirector.target)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_redirect_is_never_followed(settings, receiver):
    """A receiver that redirects (here to another loopback port, standing in for an
    internal service) gets refused; the target is never called."""
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = True
    server = HTTPServer(("127.0.0.1", 0), Redirector)
    Redirector.target = receiver
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(webhooks.WebhookRefused, match="redirect"):
            webhooks.post(
                url=f"http://127.0.0.1:{server.server_port}/hook",
                secret="s",
                payload={},
            )
    finally:
        server.shutdown()
    assert Receiver.received == []


def test_the_host_is_resolved_once_and_the_checked_address_is_the_one_called(
    settings, receiver, monkeypatch
):
    """A rebinding DNS cannot swap the address between the check and the connection."""
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = True
    port = int(receiver.rsplit(":", 1)[1].split("/")[0])
    lookups = []
    real = webhooks.socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host[0].isdigit():  # an address literal needs no lookup
            return real(host, *args, **kwargs)
        lookups.append(host)
        # First answer: the receiver; any later one would point somewhere else.
        target = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"
        return real(target, *args, **kwargs)

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", rebinding)

    webhooks.post(url=f"http://hooks.example:{port}/hook", secret="s", payload={})

    assert lookups == ["hooks.example"]
    headers, _ = Receiver.received[0]
    assert headers["Host"] == f"hooks.example:{port}"

"""Links in mail and webhooks point at the address the app is served on: REFLECT_BASE_URL
when set, else the host and port `make run` serves, which web and workers agree on."""

import json

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from reflect import deliveries, settings_checks

from ..factories import make_user
from ..reflections.test_notifications import Receiver, notify, receiver  # noqa: F401 (fixture)
from .fresh_settings import environment_without, setting_in
from .test_demo_administrator import start_make_run

pytestmark = pytest.mark.django_db

LINK_SETTINGS = ("REFLECT_BASE_URL", "REFLECT_HOST", "REFLECT_PORT")


def base_url_in(env: dict) -> str:
    return setting_in(env, "REFLECT_BASE_URL")


def without_link_settings() -> dict:
    return environment_without(*LINK_SETTINGS)


def test_the_default_follows_reflect_port():
    assert base_url_in({**without_link_settings(), "REFLECT_PORT": "8123"}) == (
        "http://127.0.0.1:8123"
    )


def test_a_set_base_url_wins_over_host_and_port():
    env = {
        **without_link_settings(),
        "REFLECT_PORT": "8123",
        "REFLECT_BASE_URL": "https://reflect.example.org/",
    }

    assert base_url_in(env) == "https://reflect.example.org"


def test_workers_started_by_make_run_link_to_the_port_it_serves(monkeypatch):
    for name in LINK_SETTINGS:
        monkeypatch.delenv(name, raising=False)

    spawned = start_make_run(monkeypatch, "--port", "8123")

    for name in ("web", "worker", "interactive", "scheduler"):
        _argv, env = spawned[name]
        assert env["REFLECT_PORT"] == "8123", name
    _argv, worker_env = spawned["interactive"]  # the one that sends mail and webhooks
    assert base_url_in(worker_env) == "http://127.0.0.1:8123"


def test_the_email_and_the_webhook_carry_the_served_port(settings, receiver):
    settings.REFLECT_BASE_URL = base_url_in(
        {**without_link_settings(), "REFLECT_PORT": "8123"}
    )
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = True
    user = make_user()
    user.email, user.notify_by_email, user.webhook_url = "a@example.org", True, receiver
    user.save()
    notification = notify(user)

    for delivery in deliveries.owe(notification=notification):
        deliveries.deliver(delivery_id=delivery.pk)

    link = f"http://127.0.0.1:8123/reflections/{notification.reflection_id}/"
    [email] = mail.outbox
    assert link in email.body
    _headers, body = Receiver.received[-1]
    assert json.loads(body)["url"] == link


@pytest.mark.parametrize("raw", ["reflect.example.org", "ftp://x", "https://"])
def test_a_base_url_that_is_not_an_http_address_is_refused_naming_it(raw):
    with pytest.raises(ImproperlyConfigured, match=f"REFLECT_BASE_URL.*{raw!r}"):
        settings_checks.base_url(raw, host="127.0.0.1", port=8000)


def test_a_wildcard_bind_links_to_the_machine_name_and_ipv6_gets_brackets():
    import socket

    assert settings_checks.base_url("", host="0.0.0.0", port=9000) == (
        f"http://{socket.gethostname()}:9000"
    )
    assert settings_checks.base_url("", host="::1", port=9000) == "http://[::1]:9000"

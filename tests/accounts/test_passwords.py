"""A person changes their password when logged in, and resets it by email when they forgot
it; the reset link starts at REFLECT_BASE_URL like every mailed link."""

import re

import pytest
from django.core import mail

from ..factories import make_user
from .fresh_settings import environment_without, setting_in

pytestmark = pytest.mark.django_db

OLD, NEW = "the-first-long-password", "a-brand-new-long-password"


def can_log_in(client, username: str, password: str) -> bool:
    client.logout()
    client.post("/accounts/login/", {"username": username, "password": password})
    return client.get("/").status_code == 200


def test_a_changed_password_works_and_the_old_one_stops_working(client):
    make_user("ada", password=OLD)
    client.post("/accounts/login/", {"username": "ada", "password": OLD})

    response = client.post(
        "/accounts/password/change/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )

    assert "Password changed." in response.content.decode()
    assert client.get("/").status_code == 200  # still logged in after the change
    assert can_log_in(client, "ada", NEW)
    assert not can_log_in(client, "ada", OLD)


def test_settings_and_log_in_pages_link_to_the_password_pages(client):
    assert (
        'href="/accounts/password/reset/"'
        in client.get("/accounts/login/").content.decode()
    )
    client.force_login(make_user())
    assert (
        'href="/accounts/password/change/"'
        in client.get("/accounts/settings/").content.decode()
    )


def test_a_reset_mails_a_link_from_the_base_url_that_sets_a_new_password(
    client, settings
):
    settings.REFLECT_BASE_URL = "https://reflect.example.org"
    ada = make_user("ada", password=OLD)
    ada.email = "ada@example.org"
    ada.save()

    response = client.post("/accounts/password/reset/", {"email": "ada@example.org"})

    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["ada@example.org"]
    link = re.search(
        r"https://reflect\.example\.org(/accounts/password/reset/\S+)", email.body
    )
    assert link, email.body
    # The link opens a form at a one-off address (Django keeps the token in the session).
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Password set" in done.content.decode()
    assert can_log_in(client, "ada", NEW)
    assert not can_log_in(client, "ada", OLD)
    # Used once, the link is dead.
    assert (
        "has been used already"
        in client.get(link.group(1), follow=True).content.decode()
    )


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(
        "/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True
    )

    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_mail_goes_to_the_console_unless_configured():
    """A developer reads the reset mail where `make run` prints; production sends by SMTP."""
    development = environment_without("EMAIL_BACKEND", "DJANGO_DEBUG")
    chosen = "django.core.mail.backends.filebased.EmailBackend"

    assert setting_in(development, "EMAIL_BACKEND") == (
        "django.core.mail.backends.console.EmailBackend"
    )
    assert (
        setting_in({**development, "EMAIL_BACKEND": chosen}, "EMAIL_BACKEND") == chosen
    )

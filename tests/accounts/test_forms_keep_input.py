"""A form with one refused field keeps everything else that was typed: the refusal shows at
its field, and independent choices in the same form are not thrown away with it."""

import pytest

from ..factories import make_user

pytestmark = pytest.mark.django_db

REFUSED = "http://127.0.0.1:8000/hook"  # a private address: refused unless allowed
EARLIER = "https://hooks.example.org/before"


def test_a_refused_webhook_url_keeps_and_saves_the_email_settings(
    client, owner, settings
):
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = False
    owner.webhook_url = EARLIER
    owner.save()

    response = client.post(
        "/accounts/settings/",
        {"email": "new@example.org", "notify_by_email": "on", "webhook_url": REFUSED},
    )

    html = response.content.decode()
    assert response.status_code == 200
    # Everything typed is still in the form, the refused URL included, to be corrected.
    assert 'value="new@example.org"' in html
    assert 'name="notify_by_email" id="id_notify_by_email" checked' in html
    assert f'value="{REFUSED}"' in html
    # The reason sits at the webhook field, and the field points to it.
    assert 'aria-describedby="id_webhook_url_error"' in html
    webhook_fieldset = html[html.index("<legend>Webhook</legend>") :]
    assert "private address" in webhook_fieldset.split("</fieldset>")[0]
    assert "Saved the email settings; not the webhook URL" in html
    owner.refresh_from_db()
    assert (owner.email, owner.notify_by_email) == ("new@example.org", True)
    assert owner.webhook_url == EARLIER


def test_a_refused_email_choice_keeps_and_saves_the_webhook_url(
    client, owner, settings
):
    settings.REFLECT_WEBHOOK_ALLOW_PRIVATE = True  # so the URL is accepted without DNS

    response = client.post(
        "/accounts/settings/",
        {"email": "", "notify_by_email": "on", "webhook_url": REFUSED},
    )

    html = response.content.decode()
    assert "An email address is needed" in html
    assert "Saved the webhook URL; not the email settings" in html
    owner.refresh_from_db()
    assert owner.notify_by_email is False and owner.webhook_url == REFUSED


def test_a_refused_sign_up_keeps_the_username_and_email_but_not_the_passwords(client):
    make_user("grace")

    response = client.post(
        "/accounts/signup/",
        {
            "username": "grace",
            "email": "grace@example.org",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )

    html = response.content.decode()
    assert "already exists" in html
    assert 'value="grace"' in html and 'value="grace@example.org"' in html
    assert "correct-horse-battery" not in html

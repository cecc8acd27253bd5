"""REFLECT_SIGNUP decides who may create an account: anyone (open), the holder of an unused,
unexpired invitation an administrator made (invite-only), or nobody (closed)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from reflect import invitations, settings_checks
from reflect.models import Invitation, User

from ..factories import make_user
from .fresh_settings import environment_without, setting_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_up(client, username="grace", query="", **extra):
    return client.post(
        f"/accounts/signup/{query}",
        {
            "username": username,
            "email": "typed@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
    )


def invitation(**fields) -> Invitation:
    return Invitation.objects.create(email="grace@example.org", **fields)


def test_open_lets_anyone_sign_up_and_the_log_in_page_offers_it(client, settings):
    settings.REFLECT_SIGNUP = "open"

    assert 'href="/accounts/signup/"' in client.get("/accounts/login/").content.decode()
    assert sign_up(client).status_code == 302
    assert User.objects.filter(username="grace").exists()


def test_closed_refuses_sign_up_says_so_and_the_log_in_page_hides_the_link(
    client, settings
):
    settings.REFLECT_SIGNUP = "closed"

    page = client.get("/accounts/signup/")
    assert page.status_code == 403
    assert "Sign-up is closed" in page.content.decode()
    assert sign_up(client).status_code == 403
    assert not User.objects.filter(username="grace").exists()
    assert "/accounts/signup/" not in client.get("/accounts/login/").content.decode()


def test_invite_only_refuses_sign_up_without_an_invitation(client, settings):
    settings.REFLECT_SIGNUP = "invite-only"

    for response in (client.get("/accounts/signup/"), sign_up(client)):
        assert response.status_code == 403
        assert "by invitation only" in response.content.decode()
    assert not User.objects.filter(username="grace").exists()
    assert "/accounts/signup/" not in client.get("/accounts/login/").content.decode()


def test_an_invitation_makes_one_account_with_its_address_and_is_used_up(
    client, settings
):
    settings.REFLECT_SIGNUP = "invite-only"
    invite = invitation()
    query = f"?invite={invite.token}"

    form = client.get(f"/accounts/signup/{query}").content.decode()
    assert 'value="grace@example.org"' in form
    response = sign_up(client, query=query)

    assert response.status_code == 302
    grace = User.objects.get(username="grace")
    # The address is the invitation's, whatever was posted instead.
    assert grace.email == "grace@example.org"
    invite.refresh_from_db()
    assert invite.accepted_at is not None and invite.accepted_by == grace


def test_a_used_invitation_is_refused_saying_it_was_used(client, settings):
    settings.REFLECT_SIGNUP = "invite-only"
    invite = invitation()
    sign_up(client, query=f"?invite={invite.token}")
    client.logout()

    response = sign_up(client, username="mallory", query=f"?invite={invite.token}")

    assert response.status_code == 403
    assert "already been used" in response.content.decode()
    assert not User.objects.filter(username="mallory").exists()


def test_an_expired_invitation_is_refused_saying_when_it_expired(client, settings):
    settings.REFLECT_SIGNUP = "invite-only"
    invite = invitation(expires_at=timezone.now() - timedelta(days=1))

    response = sign_up(client, query=f"?invite={invite.token}")

    assert response.status_code == 403
    assert "This invitation expired on" in response.content.decode()
    assert not User.objects.filter(username="grace").exists()


def test_an_invitation_used_between_the_form_and_the_sign_up_makes_no_account():
    """Two people racing on one link: the conditional claim lets exactly one in."""
    invite = invitation()
    invitations.accept(token=invite.token, user=User(username="first"))

    with pytest.raises(invitations.InvitationRefused, match="already been used"):
        invitations.accept(token=invite.token, user=User(username="second"))

    assert list(User.objects.values_list("username", flat=True)) == ["first"]


def test_the_admin_makes_an_invitation_and_shows_its_link_to_copy(client, settings):
    settings.REFLECT_BASE_URL = "https://reflect.example.org"
    admin = make_user("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)

    client.post(
        "/admin/reflect/invitation/add/",
        {
            "email": "grace@example.org",
            "expires_at_0": "2999-01-01",
            "expires_at_1": "12:00:00",
        },
    )

    invite = Invitation.objects.get()
    assert invite.created_by == admin
    listing = client.get("/admin/reflect/invitation/").content.decode()
    assert (
        f"https://reflect.example.org/accounts/signup/?invite={invite.token}" in listing
    )


def test_an_invitation_expires_after_the_configured_days(settings):
    settings.REFLECT_INVITATION_DAYS = 3

    invite = invitation()

    assert invite.expires_at - invite.created_at == pytest.approx(
        timedelta(days=3), abs=timedelta(seconds=5)
    )


def test_an_unknown_policy_stops_start_up_naming_the_value():
    with pytest.raises(ImproperlyConfigured, match="REFLECT_SIGNUP.*'invite'"):
        settings_checks.signup_policy("invite", default="open")


def test_blank_means_open_for_a_developer_and_invite_only_in_production(tmp_path):
    development = environment_without("REFLECT_SIGNUP", "DJANGO_DEBUG")
    production = {
        **development,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 50,
    }

    assert setting_in(development, "REFLECT_SIGNUP") == "open"
    assert setting_in(production, "REFLECT_SIGNUP") == "invite-only"
    assert setting_in({**production, "REFLECT_SIGNUP": "closed"}, "REFLECT_SIGNUP") == (
        "closed"
    )

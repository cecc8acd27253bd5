"""API tokens: created on the settings page (shown once, stored hashed), used, revoked → 401."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from reflect.api_tokens import create_token, revoke_token
from reflect.models import ApiToken
from reflect.models.api_tokens import hash_token

from .conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db


def test_a_token_created_on_the_page_is_shown_once_stored_hashed_and_works(
    client, owner
):
    response = client.post("/accounts/settings/tokens/", {"name": "nightly export"})

    assert response.status_code == 200
    raw = re.search(r"<code>(rfl_[\w-]+)</code>", response.content.decode()).group(1)
    token = ApiToken.objects.get(user=owner)
    assert token.name == "nightly export"
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert raw.startswith(token.prefix) and len(token.prefix) == 12
    listing = client.get("/accounts/settings/tokens/").content.decode()
    assert token.prefix in listing and raw not in listing, (
        "the raw token is shown only when created"
    )
    assert ApiClient(raw).get("/api/documents/").status_code == 200


def test_the_settings_page_links_to_the_tokens_page(client, owner):
    assert (
        "/accounts/settings/tokens/"
        in client.get("/accounts/settings/").content.decode()
    )


def test_a_token_revoked_on_the_page_answers_401(client, owner):
    new = create_token(user=owner, name="script")
    api = ApiClient(new.raw)
    assert api.get("/api/documents/").status_code == 200

    response = client.post(f"/accounts/settings/tokens/{new.token.pk}/revoke/")

    assert response.status_code == 302
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at is not None
    error = assert_error(api.get("/api/documents/"), 401, "unauthorized")
    assert "Bearer" in error["message"]
    assert "revoked" in client.get("/accounts/settings/tokens/").content.decode()


def test_nobody_can_revoke_someone_elses_token(client, owner, stranger):
    theirs = create_token(user=stranger, name="theirs")

    assert (
        client.post(f"/accounts/settings/tokens/{theirs.token.pk}/revoke/").status_code
        == 404
    )
    assert ApiToken.objects.get(pk=theirs.token.pk).revoked_at is None


@pytest.mark.parametrize(
    "header",
    [None, "Bearer rfl_unknown", "Bearer ", "Basic dXNlcjpwYXNz", "rfl_no_scheme"],
)
def test_missing_unknown_or_malformed_credentials_answer_401_with_a_challenge(
    db, header
):
    client = ApiClient(None)
    if header is not None:
        client.headers = {"Authorization": header}

    response = client.get("/api/documents/")

    assert_error(response, 401, "unauthorized")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_alone_does_not_authenticate_the_api(client, owner):
    """A logged-in browser cannot be made to call the API from another site: only tokens count."""
    assert_error(client.get("/api/documents/"), 401, "unauthorized")
    assert_error(
        client.post(
            "/api/collections/", {"name": "x"}, content_type="application/json"
        ),
        401,
        "unauthorized",
    )


def test_a_deactivated_persons_token_stops_working(api, api_user):
    api_user.is_active = False
    api_user.save()

    assert_error(api.get("/api/documents/"), 401, "unauthorized")


def test_last_used_is_recorded_at_most_once_a_minute(api_user):
    new = create_token(user=api_user, name="script")
    api = ApiClient(new.raw)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api.get("/api/documents/")
        first = ApiToken.objects.get(pk=new.token.pk).last_used_at
        assert first == start
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        api.get("/api/documents/")
        assert ApiToken.objects.get(pk=new.token.pk).last_used_at == first
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        api.get("/api/documents/")
        assert ApiToken.objects.get(pk=new.token.pk).last_used_at == start + timedelta(
            seconds=61
        )


def test_a_blank_name_is_refused_on_the_page(client, owner):
    response = client.post("/accounts/settings/tokens/", {"name": "   "})

    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_revoking_twice_reports_the_first_revocation_only(api_user):
    new = create_token(user=api_user, name="x")

    assert revoke_token(token=new.token) is True
    assert revoke_token(token=new.token) is False


def test_the_admin_lists_tokens_by_prefix_and_never_shows_the_hash(client, api_user):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(
        "admin", "admin@example.com", "a-long-admin-password"
    )
    new = create_token(user=api_user, name="export")
    client.force_login(admin)

    listing = client.get("/admin/reflect/apitoken/").content.decode()
    change = client.get(
        f"/admin/reflect/apitoken/{new.token.pk}/change/"
    ).content.decode()

    assert new.token.prefix in listing
    assert (
        new.token.key_hash not in listing + change and new.raw not in listing + change
    )
    assert client.get("/admin/reflect/apitoken/add/").status_code == 403

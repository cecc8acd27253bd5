"""Guessing passwords is slowed to a handful of tries per username and per address, counted in
Redis so every web process shares the count; the person is told how long to wait."""

import uuid

import pytest

from reflect import login_throttle

from ..factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def throttle(redis_client, settings):
    """Unique usernames and addresses, so concurrent test runs on the same Redis never meet,
    and their counters removed afterwards."""
    settings.REFLECT_LOGIN_MAX_FAILURES = 3
    settings.REFLECT_LOGIN_MAX_FAILURES_PER_IP = 5
    settings.REFLECT_LOGIN_LOCKOUT_SECONDS = 600
    used = []

    def identity() -> tuple[str, str]:
        tag = uuid.uuid4().hex[:8]
        username, ip = f"user-{tag}", f"203.0.113.{int(tag, 16) % 250 + 1}-{tag}"
        used.append((username, ip))
        return username, ip

    yield identity
    for username, ip in used:
        redis_client.delete(
            *[key for key, _ in login_throttle._keys(username=username, ip=ip)]
        )


def log_in(client, username, password, ip):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_after_too_many_failures_even_the_right_password_is_refused_with_the_wait(
    client, throttle
):
    username, ip = throttle()
    make_user(username, password=PASSWORD)
    for _ in range(3):
        assert log_in(client, username, "wrong-guess", ip).status_code == 200

    response = log_in(client, username, PASSWORD, ip)

    assert response.status_code == 429
    assert (
        "Too many failed log-in attempts. Try again in 10 minutes."
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_the_lockout_follows_the_username_to_another_address(client, throttle):
    username, ip = throttle()
    _, other_ip = throttle()
    make_user(username, password=PASSWORD)
    for _ in range(3):
        log_in(client, username, "wrong-guess", ip)

    assert log_in(client, username, PASSWORD, other_ip).status_code == 429


def fullwidth(text: str, *, first_only: bool = False) -> str:
    """The same letters in fullwidth form (NFKC folds them back): "carol" → "ｃａｒｏｌ"."""
    chars = [chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in text]
    return chars[0] + text[1:] if first_only else "".join(chars)


@pytest.mark.parametrize(
    "spelling",
    [
        lambda name: fullwidth(name, first_only=True),
        fullwidth,
        str.upper,
        lambda name: f" {name} ",
    ],
    ids=["first-letter-fullwidth", "all-fullwidth", "upper-case", "padded"],
)
def test_another_spelling_of_a_locked_username_is_locked_too(
    client, throttle, spelling
):
    """Django logs in the NFKC form of the name, so the count keys on it as well."""
    username, ip = throttle()
    _, other_ip = throttle()
    make_user(username, password=PASSWORD)
    for _ in range(3):
        log_in(client, username, "wrong-guess", ip)

    response = log_in(client, spelling(username), PASSWORD, other_ip)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_address_guessing_many_usernames_is_locked_out(client, throttle):
    _, ip = throttle()
    victim, _ = throttle()
    make_user(victim, password=PASSWORD)
    for _ in range(5):
        log_in(client, throttle()[0], "wrong-guess", ip)

    assert log_in(client, victim, PASSWORD, ip).status_code == 429
    _, elsewhere = throttle()
    assert log_in(client, victim, PASSWORD, elsewhere).status_code == 302


def test_a_successful_log_in_clears_the_count_of_failures(client, throttle):
    username, ip = throttle()
    make_user(username, password=PASSWORD)
    for _ in range(2):
        log_in(client, username, "wrong-guess", ip)
    assert log_in(client, username, PASSWORD, ip).status_code == 302
    client.logout()

    for _ in range(2):
        log_in(client, username, "wrong-guess", ip)

    assert log_in(client, username, PASSWORD, ip).status_code == 302


def test_the_lockout_ends_with_its_window(client, throttle, redis_client):
    username, ip = throttle()
    make_user(username, password=PASSWORD)
    for _ in range(3):
        log_in(client, username, "wrong-guess", ip)
    key = login_throttle._keys(username=username, ip=ip)[0][0]
    assert 0 < redis_client.ttl(key) <= 600

    redis_client.delete(key)  # what Redis does when the TTL runs out

    assert log_in(client, username, PASSWORD, ip).status_code == 302


def test_the_wait_is_given_in_whole_minutes():
    assert (
        login_throttle.lockout_message(61)
        == "Too many failed log-in attempts. Try again in 2 minutes."
    )
    assert (
        login_throttle.lockout_message(5)
        == "Too many failed log-in attempts. Try again in 1 minute."
    )


def make_staff(username):
    user = make_user(username, password=PASSWORD)
    user.is_staff = True
    user.save(update_fields=["is_staff"])


def admin_log_in(client, username, password, ip):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_the_admin_log_in_is_throttled_too(client, throttle):
    username, ip = throttle()
    make_staff(username)
    for _ in range(3):
        assert admin_log_in(client, username, "wrong-guess", ip).status_code == 200

    response = admin_log_in(client, username, PASSWORD, ip)

    assert response.status_code == 429
    assert "Try again in 10 minutes" in response.content.decode()
    _, other_ip = throttle()
    other, _ = throttle()
    make_staff(other)
    assert admin_log_in(client, other, PASSWORD, other_ip).status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(
    client, throttle, settings
):
    """A client cannot escape the per-address limit by sending its own X-Forwarded-For."""
    settings.REFLECT_BEHIND_PROXY = True
    _, ip = throttle()
    victim, _ = throttle()
    make_user(victim, password=PASSWORD)
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"username": throttle()[0], "password": "wrong-guess"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, {ip}",
        )

    response = client.post(
        "/accounts/login/",
        {"username": victim, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"198.51.100.99, {ip}",
    )

    assert response.status_code == 429

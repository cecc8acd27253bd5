"""Sign up, log in, log out; every page needs a login except those that give one."""

import pytest

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_sign_up_logs_the_person_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "grace",
            "email": "g@example.org",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )

    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_log_in_and_log_out(client):
    make_user("ada", password="correct-horse-battery")

    client.post(
        "/accounts/login/", {"username": "ada", "password": "correct-horse-battery"}
    )
    assert client.get("/").status_code == 200

    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("path", ["/", "/collections/", "/documents/1/"])
def test_pages_redirect_strangers_to_log_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

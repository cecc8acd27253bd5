import pytest
from django.test import Client

from reflect.api_tokens import create_token

from ..factories import make_user


class ApiClient:
    """A test client that sends `Authorization: Bearer <token>` and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: dict | None = None, headers: dict | None = None):
        return self.client.post(
            path,
            body or {},
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def upload(self, path: str, data: dict):
        return self.client.post(path, data, headers=self.headers)

    def patch(self, path: str, body: dict):
        return self.client.patch(
            path, body, content_type="application/json", headers=self.headers
        )

    def delete(self, path: str):
        return self.client.delete(path, headers=self.headers)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Each test makes two people; the real hasher would spend most of the suite's time there.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def api_client_for(user) -> ApiClient:
    return ApiClient(create_token(user=user, name="tests").raw)


@pytest.fixture
def api_user(db):
    return make_user("api-owner")


@pytest.fixture
def api(api_user) -> ApiClient:
    """The owner's API client, authenticated by a fresh token."""
    return api_client_for(api_user)


@pytest.fixture
def stranger(db):
    return make_user("stranger")


@pytest.fixture
def stranger_api(stranger) -> ApiClient:
    return api_client_for(stranger)


def assert_error(response, status: int, code: str) -> dict:
    """The response is the API's one error shape with this status and code; returns the error."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]

"""/healthz answers "ok" to anyone without touching the database: load balancers and the
compose healthcheck call it, and the load bench uses it as the bare Django view."""

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_without_login_or_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]

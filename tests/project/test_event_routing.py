"""Pages (gunicorn) open the live-events stream on uvicorn's port of the same host; the
Content-Security-Policy and the stream's CORS answer allow exactly that origin."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def example_host(settings):
    settings.ALLOWED_HOSTS = ["reflect.example", "testserver"]


def test_a_page_opens_the_stream_on_the_events_port_of_its_own_host(client, owner):
    response = client.get("/reflections/", HTTP_HOST="reflect.example:8000")

    assert 'data-events="http://reflect.example:8001/events/"' in response.text
    assert (
        "connect-src 'self' http://reflect.example:8001"
        in response["Content-Security-Policy"]
    )


def test_a_proxied_same_origin_stream_keeps_connect_src_to_self(
    client, owner, settings
):
    settings.REFLECT_EVENTS_URL = "/events/"

    response = client.get("/reflections/")

    assert 'data-events="/events/"' in response.text
    assert "connect-src 'self';" in response["Content-Security-Policy"]


def test_the_stream_names_a_page_origin_on_its_host_and_no_other(client, owner):
    own = client.get(
        "/events/",
        HTTP_HOST="reflect.example:8001",
        HTTP_ORIGIN="http://reflect.example:8000",
    )
    stranger = client.get(
        "/events/", HTTP_HOST="reflect.example:8001", HTTP_ORIGIN="https://evil.example"
    )

    assert own["Content-Type"] == "text/event-stream"
    assert own["Access-Control-Allow-Origin"] == "http://reflect.example:8000"
    assert own["Access-Control-Allow-Credentials"] == "true"
    assert "Access-Control-Allow-Origin" not in stranger


def test_a_page_rendered_without_a_request_falls_back_to_the_stream_path(owner):
    """Worker-side renders (no request in the context) still render base.html."""
    from django.template.loader import render_to_string

    assert 'data-events="/events/"' in render_to_string("base.html", {"user": owner})

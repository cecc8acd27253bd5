"""A malformed query string is the person's mistake, not the server's: every page of the
resolver answers it with a 4xx (or ignores it), never a 500, so DEBUG's error page with its
settings never shows for it."""

import pytest
from django.test import Client

from .test_isolation import NO_OBJECT, is_api, parameters, url_for, walk, world  # noqa: F401

pytestmark = pytest.mark.django_db

JUNK = [
    "compare=abc",
    "compare=-1",
    "compare=99999999999999999999999",
    "page=abc",
    "page=-5",
    "page=1e9",
    "segment=abc",
    "q=%00",
    "q=" + "x" * 5000,
    "status=nonsense",
    "collection=abc",
    "kind=%FF%FE",
    "limit=abc&offset=-1",
    "documents=abc&documents=1.5",
    "preset=%0d%0a",
    "since=not-a-date",
    "question=%00%00",
]


def test_no_page_answers_a_junk_query_string_with_a_500(world):
    client = Client(raise_request_exception=False)
    client.force_login(world["owner"])
    token = {"Authorization": f"Bearer {world['owner_token']}"}
    failures = []
    for route, _ in walk():
        if route in NO_OBJECT:
            continue
        if parameters(route):
            url = url_for(route, world["objects"], stranger=False)
        else:
            url = "/" + route
        for junk in JUNK:
            response = client.get(
                f"{url}?{junk}", headers=token if is_api(route) else {}
            )
            if response.status_code >= 500:
                failures.append(f"{url}?{junk[:40]} → {response.status_code}")
    assert failures == []


def test_debugs_error_page_never_shows_connection_urls_or_their_passwords(settings, rf):
    """`make run` keeps DEBUG on: its error page must not leak Redis or database passwords."""
    import sys
    import uuid

    from django.views.debug import ExceptionReporter

    settings.DEBUG = True
    # Made here and kept in no local variable, so only the settings can show it.
    settings.REDIS_URL = f"redis://:{uuid.uuid4().hex}@10.0.0.5:6379/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    try:
        raise ValueError("boom")
    except ValueError:
        html = ExceptionReporter(rf.get("/"), *sys.exc_info()).get_traceback_html()

    password = settings.REDIS_URL.split(":")[2].split("@")[0]
    assert password not in html
    assert "REDIS_URL" in html  # listed, with its value hidden

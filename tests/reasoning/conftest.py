import json

import pytest

from reflect.reasoning import client as model_client
from reflect.reasoning.pricing import DEFAULT_PRICES
from tests.factories import make_document, make_user
from tests.stub_openai import StubOpenAI

from .helpers import MEETING_1, MEETING_2, transcript_segments

API_KEY = "sk-test-secret-key-0123456789"


@pytest.fixture
def stub_openai(settings):
    """An OpenAI-compatible server on 127.0.0.1 that Reflect is configured to use.

    SDK and task retries are fast (the stub's Retry-After is honoured in tenths of seconds).
    """
    with StubOpenAI() as stub:
        settings.OPENAI_BASE_URL = stub.base_url
        settings.OPENAI_API_KEY = API_KEY
        # The stub stands in for OpenAI, but from a local URL: its models are priced only
        # because this names them (as a deployment would for a local server).
        settings.REFLECT_PRICES = json.dumps(DEFAULT_PRICES)
        settings.REFLECT_PROVIDER = ""
        settings.REFLECT_MODEL = "gpt-5.6"
        settings.REFLECT_MAP_MODEL = "gpt-5.6"
        settings.REFLECT_API_STYLE = "chat"
        settings.REFLECT_BACKEND_PROFILE = "openai"
        settings.REFLECT_REQUEST_TIMEOUT = 10.0
        settings.REFLECT_SDK_MAX_RETRIES = 2
        settings.REFLECT_TASK_MAX_RETRIES = 3
        settings.REFLECT_RETRY_BACKOFF_SECONDS = 0.0
        settings.REFLECT_CONTEXT_TOKENS = 922_000
        settings.REFLECT_OUTPUT_RESERVE_TOKENS = 25_000
        model_client._NO_JSON_SCHEMA.clear()
        model_client._NO_RESPONSES_API.clear()
        yield stub
        model_client._NO_JSON_SCHEMA.clear()
        model_client._NO_RESPONSES_API.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db):
    return make_user("owner")


@pytest.fixture
def stranger(db):
    return make_user("stranger")


@pytest.fixture
def meetings(owner):
    """Two small meeting notes of the owner, ready, with line segments."""
    from datetime import date

    first = make_document(
        owner,
        title="Kick-off",
        text=MEETING_1,
        segments=transcript_segments(MEETING_1),
        meeting_date=date(2026, 3, 2),
        speakers=["Alice", "Bob", "Carol"],
    )
    second = make_document(
        owner,
        title="Week two",
        text=MEETING_2,
        segments=transcript_segments(MEETING_2),
        meeting_date=date(2026, 3, 9),
        speakers=["Alice", "Bob", "Carol"],
    )
    return [first, second]

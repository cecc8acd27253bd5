"""The model provider's API key never appears in a page, a log line or an error message, whatever
way a reflection fails: the key rejected (and echoed back by the server), a server error quoting
it, the server unreachable. Logs are captured at DEBUG, the SDK's and httpx's included, in this
process and in a real worker's output."""

import logging
import socket

import pytest

from reflect.models import Reflection
from reflect.reasoning import client as model_client
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection

from ..factories import make_document, make_user
from ..reflections.ask_page import start_button
from ..stub_openai import StubOpenAI, error
from ..workers import wait_for

# Not shaped like an OpenAI key (sk-...): other OpenAI-compatible servers use any string, so
# only the configured value itself can be recognised.
KEY = "canary-Zq81WmLx7Tf3pR9v"
TEXT = "Alice: the vendor contract expires Friday.\nBob: nobody owns it.\n"


def failing_replies(key: str) -> dict:
    return {
        "rejected": [
            error(
                401,
                f"Incorrect API key provided: {key}. Find your key at the dashboard.",
                code="invalid_api_key",
            )
        ],
        "server_error": [
            error(
                500,
                f"upstream failed for Authorization: Bearer {key}",
                type_="server_error",
            )
        ]
        * 12,
    }


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def model_settings(settings):
    settings.OPENAI_API_KEY = KEY
    settings.REFLECT_PROVIDER = "openai"
    settings.REFLECT_MODEL = settings.REFLECT_MAP_MODEL = "gpt-5.6"
    settings.REFLECT_REQUEST_TIMEOUT = 5.0
    settings.REFLECT_SDK_MAX_RETRIES = 1
    settings.REFLECT_TASK_MAX_RETRIES = 0
    settings.REFLECT_RETRY_BACKOFF_SECONDS = 0.0
    model_client._NO_JSON_SCHEMA.clear()
    return settings


def pages_of(client, reflection: Reflection) -> str:
    paths = [
        f"/reflections/{reflection.pk}/",
        f"/reflections/{reflection.pk}/export.md",
        "/reflections/",
        "/notifications/",
        "/accounts/settings/",
        f"/admin/reflect/reflection/{reflection.pk}/change/",
        "/admin/reflect/reflection/",
    ]
    pages = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages.append(response.content.decode())
    return "\n".join(pages)


@pytest.mark.django_db
@pytest.mark.parametrize("failure", ["rejected", "server_error", "unreachable"])
def test_a_failed_reflection_never_shows_or_logs_the_key(
    client, model_settings, caplog, failure
):
    caplog.set_level(logging.DEBUG)
    for name in ("openai", "httpx", "httpcore", "reflect", "celery"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    owner = make_user("owner")
    owner.is_staff = owner.is_superuser = True
    owner.save()
    client.force_login(owner)
    document = make_document(owner, text=TEXT)
    with StubOpenAI() as stub:
        if failure == "unreachable":
            model_settings.OPENAI_BASE_URL = f"http://127.0.0.1:{unused_port()}/v1"
        else:
            model_settings.OPENAI_BASE_URL = stub.base_url
            stub.script(*failing_replies(KEY)[failure])
        reflection = create_reflection(
            owner=owner, preset="risks", document_ids=[document.pk], enqueue=False
        )
        finished = run_reflection(reflection_id=reflection.pk, final_attempt=True)

    assert finished.status == Reflection.Status.FAILED, finished.error
    if failure != "unreachable":
        assert (
            stub.requests
            and stub.requests[0].headers["authorization"] == f"Bearer {KEY}"
        )
    assert finished.error and KEY not in finished.error
    logged = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records
    )
    assert caplog.records, "nothing was logged at all: the capture is not working"
    assert KEY not in logged, [
        r.getMessage() for r in caplog.records if KEY in r.getMessage()
    ][:3]
    assert KEY not in caplog.text
    assert KEY not in pages_of(client, finished)


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_a_real_worker_at_debug_level_never_prints_the_key(
    client, model_settings, start_worker
):
    owner = make_user("owner")
    client.force_login(owner)
    document = make_document(owner, text=TEXT)
    with StubOpenAI() as stub:
        stub.script(*failing_replies(KEY)["rejected"])
        model_settings.OPENAI_BASE_URL = stub.base_url
        worker = start_worker(
            env={
                "OPENAI_API_KEY": KEY,
                "OPENAI_BASE_URL": stub.base_url,
                "LOG_LEVEL": "DEBUG",
                "REFLECT_PROVIDER": "openai",
                "REFLECT_RETRY_BACKOFF_SECONDS": "0",
                "REFLECT_SDK_MAX_RETRIES": "1",
            }
        )
        form = client.get(
            f"/reflections/new/?documents={document.pk}&preset=risks&effort=low"
        ).content.decode()
        response = client.post(
            "/reflections/new/",
            {
                "documents": [document.pk],
                "preset": "risks",
                "effort": "low",
                "start": start_button(form)[0],
            },
        )
        assert response.status_code == 302, response.content[:1000]
        try:
            reflection = wait_for(
                lambda: Reflection.objects.filter(status="failed").first(),
                timeout=30,
                message="the reflection to fail in the worker",
            )
        except AssertionError:
            states = list(Reflection.objects.values("status", "error"))
            raise AssertionError(f"{states}\n{worker.log()}") from None

    assert stub.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert "API key" in reflection.error and KEY not in reflection.error
    output = worker.log_path.read_text(errors="replace")
    assert "DEBUG" in output and "reflect.tasks.run_reflection" in output, output[
        -2000:
    ]
    assert KEY not in output
    assert KEY not in client.get(f"/reflections/{reflection.pk}/").content.decode()

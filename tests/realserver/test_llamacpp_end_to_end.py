"""Ingest → reflect against a real llama.cpp server through real Celery workers, in both API
styles, with REFLECT_BACKEND_PROFILE=llamacpp: the run ends with a well-formed result whose
every quote is either verified in its document or flagged (a 135M model's quotes may well be
flagged: checking them is the point). The figures are printed for the closing notes."""

import time

import pytest

from reflect.models import Document, Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.lifecycle import retry_reflection
from tests.factories import make_user
from tests.reasoning.helpers import MEETING_1, MEETING_2
from tests.workers import wait_for

from .conftest import CONTEXT_TOKENS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

MATCHES = {"exact", "normalised", "approximate", "unverified"}
ATTEMPTS = 3


def upload(client, files: dict[str, str]) -> list[int]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/documents/upload/",
        {
            "files": [
                SimpleUploadedFile(name, text.encode(), content_type="text/plain")
                for name, text in files.items()
            ]
        },
        HTTP_ACCEPT="application/json",
    )
    assert all(r["ok"] for r in response.json()["results"]), response.content
    documents = wait_for(
        lambda: (
            Document.objects.filter(status="ready").count() == len(files)
            and list(Document.objects.values_list("pk", flat=True))
        ),
        timeout=60,
        message="the worker to extract the uploads",
    )
    return documents


@pytest.mark.parametrize("style", ["chat", "responses"])
def test_a_reflection_on_a_real_llama_server(
    client, settings, start_worker, llama_server, style
):
    start_worker(
        env={
            "OPENAI_BASE_URL": llama_server,
            "OPENAI_API_KEY": "",
            "REFLECT_PROVIDER": "openai",
            "REFLECT_MODEL": "SmolLM2-135M-Instruct",
            "REFLECT_MAP_MODEL": "",
            "REFLECT_BACKEND_PROFILE": "llamacpp",
            "REFLECT_API_STYLE": style,
            "REFLECT_CONTEXT_TOKENS": str(CONTEXT_TOKENS),
            # A low output limit keeps a CPU run short; a tiny model rambles otherwise.
            "REFLECT_OUTPUT_RESERVE_TOKENS": "1024",
            "REFLECT_TASK_MAX_RETRIES": "0",
            "REFLECT_SDK_MAX_RETRIES": "0",
            "REFLECT_REQUEST_TIMEOUT": "240",
        }
    )
    settings.REFLECT_PROVIDER = "openai"
    settings.OPENAI_BASE_URL = llama_server
    settings.REFLECT_MODEL = "SmolLM2-135M-Instruct"
    owner = make_user("lead")
    client.force_login(owner)
    document_ids = upload(client, {"kickoff.txt": MEETING_1, "week-two.txt": MEETING_2})
    started = time.monotonic()

    reflection = create_reflection(
        owner=owner, preset="dropped_actions", document_ids=document_ids
    )
    # A 135M model sometimes answers with no findings and no statement that the documents
    # do not answer: that is refused as a retryable failure, and a person presses Retry.
    # The server draws a new seed for each request, so a retry is a new sample.
    for attempt in range(1, ATTEMPTS + 1):
        done = wait_for(
            lambda: Reflection.objects.filter(
                pk=reflection.pk, status__in=["succeeded", "failed"]
            ).first(),
            timeout=280,
            interval=0.5,
            message="the reflection on the llama server",
        )
        if done.status == Reflection.Status.SUCCEEDED or attempt == ATTEMPTS:
            break
        assert done.error_kind == Reflection.ErrorKind.INVALID_OUTPUT, done.error
        retry_reflection(reflection=done)
    seconds = time.monotonic() - started

    result = done.result or {}
    evidence = [e for f in result.get("findings", []) for e in f["evidence"]]
    verified = sum(1 for e in evidence if e["verified"])
    calls = [
        (c["step"], c.get("api_style", style), c.get("structured_output"))
        for c in done.manifest["calls"]
    ]
    print(
        f"\nreal llama.cpp server, {style} style: {done.status} in {seconds:.1f}s "
        f"(attempt {attempt}), "
        f"{len(result.get('findings', []))} findings, {verified} quotes verified, "
        f"{len(evidence) - verified} flagged; calls (step, API, json_schema): {calls} "
        f"{done.error}"
    )
    assert done.status == Reflection.Status.SUCCEEDED, done.error
    assert done.provider == "openai"
    assert isinstance(done.result["summary"], str)
    assert done.result["findings"] or done.result.get("documents_do_not_answer")
    for item in evidence:
        assert item["verified"] in (True, False)
        assert item["match"] in MATCHES
        assert item["verified"] == (item["match"] in ("exact", "normalised"))

"""Through the API only, with a real worker and no model configured: upload, wait until ready,
start a reflection, read its verified offline findings."""

import pytest

from ..workers import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

NO_MODEL = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "REFLECT_PROVIDER": ""}


def test_upload_ready_reflect_and_read_the_result_through_the_api(
    api, settings, start_worker, corpus
):
    settings.OPENAI_API_KEY = settings.OPENAI_BASE_URL = settings.REFLECT_PROVIDER = ""
    start_worker(env=NO_MODEL)
    series = sorted((corpus / "meetings/qmsum/ami-ES2004").glob("*.txt"))
    handles = [open(path, "rb") for path in series]
    try:
        uploaded = api.upload("/api/documents/", {"files": handles})
    finally:
        for handle in handles:
            handle.close()
    assert uploaded.status_code == 202, uploaded.content
    urls = [r["url"] for r in uploaded.json()["results"]]
    assert len(urls) == len(series)

    wait_for(
        lambda: all(api.get(url).json()["status"] == "ready" for url in urls),
        timeout=60,
        message="extraction seen through the API",
    )
    ids = [api.get(url).json()["id"] for url in urls]
    started = api.post(
        "/api/reflections/", {"document_ids": ids, "preset": "dropped_actions"}
    )
    assert started.status_code == 202, started.content

    result = wait_for(
        lambda: finished(api, started.json()["url"]),
        timeout=60,
        message="the reflection through the API",
    )

    assert result["status"] == "succeeded", result["error"]
    assert result["provider"] == "offline"
    assert result["findings"] and result["findings"][0]["kind"] == "dropped_action"
    assert all(e["verified"] for f in result["findings"] for e in f["evidence"])
    notifications = api.get("/api/notifications/", unread="true").json()["items"]
    assert [n["reflection_id"] for n in notifications] == [result["id"]]


def finished(api, url: str) -> dict | None:
    body = api.get(url).json()
    return body if body["status"] in {"succeeded", "failed", "cancelled"} else None

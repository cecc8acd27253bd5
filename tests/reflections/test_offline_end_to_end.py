"""With no model configured, upload and ask through the app give offline findings from a real worker."""

import re

import pytest

from reflect.models import Document, Reflection

from ..factories import make_user
from ..workers import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

NO_MODEL = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "REFLECT_PROVIDER": ""}


def test_no_model_configured_gives_a_labelled_offline_result(
    client, settings, start_worker, corpus
):
    settings.OPENAI_API_KEY = settings.OPENAI_BASE_URL = settings.REFLECT_PROVIDER = ""
    start_worker(env=NO_MODEL)
    client.force_login(make_user("lead"))
    series = sorted((corpus / "meetings/qmsum/ami-ES2004").glob("*.txt"))
    files = [open(path, "rb") for path in series]
    try:
        response = client.post(
            "/documents/upload/", {"files": files}, HTTP_ACCEPT="application/json"
        )
    finally:
        for handle in files:
            handle.close()
    assert all(r["ok"] for r in response.json()["results"])
    wait_for(
        lambda: Document.objects.filter(status="ready").count() == len(series),
        timeout=60,
        message="extraction of the ES2004 series",
    )
    ids = list(Document.objects.values_list("pk", flat=True))

    response = client.post(
        "/reflections/new/",
        {
            "documents": ids,
            "preset": "dropped_actions",
            "effort": "medium",
            "start": "1",
        },
    )

    assert response.status_code == 302
    reflection_id = int(
        re.search(r"/reflections/(\d+)/", response["Location"]).group(1)
    )
    reflection = wait_for(
        lambda: Reflection.objects.filter(
            pk=reflection_id, status__in=["succeeded", "failed"]
        ).first(),
        timeout=60,
        message="the offline reflection",
    )
    assert reflection.status == "succeeded", reflection.error
    assert reflection.provider == "offline"
    findings = reflection.result["findings"]
    assert findings and findings[0]["kind"] == "dropped_action"
    assert all(e["verified"] for f in findings for e in f["evidence"])
    html = client.get(response["Location"]).content.decode()
    assert "Offline analyzer — no language model was used" in html
    assert "Dropped action" in html  # the kind label of the top finding

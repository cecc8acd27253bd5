"""The reflection page in every state, as a page and as the live fragment."""

import pytest

from reflect.models import Notification

from ..factories import make_document, make_reflection, verified_result

pytestmark = pytest.mark.django_db

TEXT = "Alice: the budget is fine.\n\nBob: the vendor contract expires in March."


def fragment(client, reflection):
    return client.get(reflection.get_absolute_url(), HTTP_HX_REQUEST="true")


def test_queued_fragment_keeps_polling_and_offers_cancel(client, owner):
    reflection = make_reflection(owner, status="queued")

    response = fragment(client, reflection)
    html = response.content.decode()

    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="reflection-body"')
    assert 'hx-trigger="every 2s, reflect-reflection from:body"' in html
    assert "Cancel" in html and "Queued" in html


def test_running_fragment_shows_phase_and_part_progress(client, owner):
    reflection = make_reflection(
        owner, status="running", phase="part 2 of 5", parts_done=1, parts_total=5
    )

    html = fragment(client, reflection).content.decode()

    assert "part 2 of 5" in html
    assert '<progress max="5" value="1"' in html and "1 of 5 parts read" in html


def test_without_a_live_worker_the_page_says_so(client, owner, redis_client):
    for key in redis_client.scan_iter("reflect:worker:*"):
        redis_client.delete(key)
    reflection = make_reflection(owner, status="queued")

    html = fragment(client, reflection).content.decode()

    assert 'id="no-worker"' in html


def test_succeeded_fragment_stops_polling_and_shows_findings_with_marks(client, owner):
    document = make_document(owner, title="Standup 12 March", text=TEXT)
    reflection = make_reflection(
        owner,
        documents=[document],
        result=verified_result(document, "the vendor contract expires in March"),
        usage={
            "input_tokens": 1200,
            "cached_tokens": 1000,
            "output_tokens": 300,
            "reasoning_tokens": 200,
        },
        cost_usd="0.0123",
    )

    response = fragment(client, reflection)
    html = response.content.decode()

    assert response.status_code == 286, "status 286 ends htmx polling"
    assert "hx-trigger" not in html
    assert "<strong>stands out</strong>" in html
    assert "Risk</span>" in html and "Vendor contract expiry has no owner" in html
    start = TEXT.index("the vendor contract")
    assert f'href="/documents/{document.pk}/?hl={start}-{start + 36}#highlight"' in html
    assert "00:12:03 · Bob" in html and "mark-verified" in html
    assert "1200" in html and "$0.0123" in html
    assert "Who renews the vendor contract?" in html


def test_unsupported_findings_and_unverified_quotes_are_marked(client, owner):
    document = make_document(owner, text=TEXT)
    result = verified_result(document, "the budget is fine")
    result["findings"][0]["supported"] = False
    result["findings"][0]["evidence"][0].update(
        verified=False, match="unverified", start=None, end=None
    )
    reflection = make_reflection(owner, result=result)

    html = fragment(client, reflection).content.decode()

    assert "unsupported: no quote was found" in html
    assert "mark-unverified" in html
    assert "?hl=" not in html


def test_failed_reflection_shows_the_provider_error_and_a_retry_button(client, owner):
    reflection = make_reflection(
        owner,
        status="failed",
        error="Error code: 401 - Incorrect API key provided",
        error_kind="permanent",
    )

    html = client.get(reflection.get_absolute_url()).content.decode()

    assert "Incorrect API key provided" in html
    assert "Rejected by the model provider" in html
    assert f"/reflections/{reflection.pk}/retry/" in html


def test_cancelled_reflection_can_be_retried(client, owner):
    reflection = make_reflection(owner, status="cancelled")

    html = client.get(reflection.get_absolute_url()).content.decode()

    assert "Cancelled" in html and f"/reflections/{reflection.pk}/retry/" in html


def test_offline_results_are_labelled_as_such(client, owner):
    document = make_document(owner, text=TEXT)
    reflection = make_reflection(
        owner,
        provider="offline",
        model="offline-analyzer",
        result=verified_result(document, "the budget is fine"),
    )

    html = client.get(reflection.get_absolute_url()).content.decode()

    assert "Offline analyzer — no language model was used" in html
    assert "does not read questions the way a model does" in html


def test_opening_a_finished_reflection_reads_its_notification(client, owner):
    reflection = make_reflection(owner)
    Notification.objects.create(
        user=owner, reflection=reflection, status="succeeded", message="ready"
    )

    client.get(reflection.get_absolute_url())

    assert Notification.objects.get().read_at is not None


def test_cancel_stops_a_queued_reflection(client, owner):
    reflection = make_reflection(owner, status="queued")

    client.post(f"/reflections/{reflection.pk}/cancel/")

    reflection.refresh_from_db()
    assert reflection.status == "cancelled"


def test_retry_requeues_a_failed_reflection(
    client, owner, django_capture_on_commit_callbacks, queued_tasks
):
    reflection = make_reflection(owner, status="failed", error="boom")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reflections/{reflection.pk}/retry/")

    reflection.refresh_from_db()
    assert reflection.status == "queued" and reflection.error == ""
    assert ("reflect.tasks.run_reflection", [reflection.pk]) in queued_tasks()


def test_export_is_markdown_with_quotes_and_marks(client, owner):
    document = make_document(owner, title="Standup", text=TEXT)
    reflection = make_reflection(
        owner, result=verified_result(document, "the budget is fine")
    )

    response = client.get(f"/reflections/{reflection.pk}/export.md")
    body = response.content.decode()

    assert response["Content-Type"].startswith("text/markdown")
    assert "# What is nobody paying attention to?" in body
    assert "> the budget is fine" in body
    assert "Standup, 00:12:03 · Bob [verified]" in body

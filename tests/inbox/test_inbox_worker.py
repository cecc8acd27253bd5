"""Files dropped into a person's inbox folder become ready documents in the right collection
through a real worker; each ends in done/ or failed/ (with its reason), and the same file
dropped again is not ingested twice."""

import pytest

from reflect.inbox import scan_inbox
from reflect.models import Collection, Document

from ..factories import make_user
from ..workers import wait_for
from .conftest import drop

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_dropped_files_are_extracted_by_the_worker_and_filed(
    inbox, corpus, live_worker
):
    ada = make_user("ada")
    scan_inbox()
    home = inbox / "ada"
    assert home.is_dir(), "the first scan creates the person's folder"
    standup = (corpus / "transcripts/vtt/webvtt-py/teams_timeframe.vtt").read_bytes()
    minutes = (
        corpus / "meetings/minutes-md/rust-lang-team-triage/2019-10-03.md"
    ).read_bytes()
    broken = (corpus / "pdf/pdfjs/bug1020226.pdf").read_bytes()
    drop(home, "standup.vtt", standup)
    drop(home / "Triage", "2019-10-03.md", minutes)
    drop(home / "Triage", "broken.pdf", broken)

    taken = scan_inbox()

    assert sorted((o["file"], o["outcome"]) for o in taken) == [
        ("2019-10-03.md", "accepted"),
        ("broken.pdf", "accepted"),
        ("standup.vtt", "accepted"),
    ]
    assert not any(home.glob("*.vtt")) and not any((home / "Triage").iterdir())
    wait_for(
        lambda: (
            not Document.objects.filter(
                owner=ada, status__in=["pending", "extracting"]
            ).exists()
        ),
        timeout=60,
        message=f"extraction in the worker\n{live_worker.log()}",
    )

    filed = scan_inbox()

    assert sorted((o["file"], o["outcome"]) for o in filed) == [
        ("2019-10-03.md", "done"),
        ("broken.pdf", "failed"),
        ("standup.vtt", "done"),
    ]
    assert sorted(p.name for p in (home / "done").iterdir()) == [
        "2019-10-03.md",
        "standup.vtt",
    ]
    assert sorted(p.name for p in (home / "failed").iterdir()) == [
        "broken.pdf",
        "broken.pdf.reason.txt",
    ]
    failed = Document.objects.get(owner=ada, original_name="broken.pdf")
    assert failed.status == Document.Status.FAILED and failed.error
    assert (home / "failed/broken.pdf.reason.txt").read_text().strip() == failed.error
    inbox_collection = Collection.objects.get(owner=ada, name="Inbox")
    triage = Collection.objects.get(owner=ada, name="Triage")
    assert [d.original_name for d in inbox_collection.documents.all()] == [
        "standup.vtt"
    ]
    assert sorted(d.original_name for d in triage.documents.filter(status="ready")) == [
        "2019-10-03.md"
    ]
    assert not any((home / "processing").rglob("*.*"))

    drop(home, "standup again.vtt", standup)
    again = scan_inbox()

    assert [o["outcome"] for o in again] == ["duplicate"]
    assert Document.objects.filter(owner=ada).count() == 3
    note = (home / "done/standup again.vtt.note.txt").read_text()
    assert "already uploaded as document" in note

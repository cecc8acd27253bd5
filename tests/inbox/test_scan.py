"""What a scan takes and what it leaves: files still being written wait, refused files go to
failed/ at once with the reason, folders of unknown people are left alone."""

import logging
import os
from datetime import UTC, datetime, timedelta

import pytest

from reflect.inbox import scan_inbox
from reflect.models import Document

from ..factories import make_user
from .conftest import drop

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Alice>We ship on Friday.</v>\n"


def test_a_file_still_being_written_waits_until_it_settles(inbox, settings):
    settings.REFLECT_INBOX_SETTLE_SECONDS = 10
    make_user("ada")
    path = drop(inbox / "ada", "recording.vtt", VTT)
    written = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)

    assert [o["outcome"] for o in scan_inbox(now=written + timedelta(seconds=3))] == [
        "waiting"
    ]
    assert path.exists() and not Document.objects.exists()

    assert [o["outcome"] for o in scan_inbox(now=written + timedelta(seconds=11))] == [
        "accepted"
    ]
    assert not path.exists() and (inbox / "ada/processing/recording.vtt").exists()
    assert Document.objects.get().status == Document.Status.PENDING


def test_a_refused_file_goes_to_failed_with_the_reason(inbox):
    make_user("ada")
    drop(inbox / "ada", "setup.exe", b"MZ\x90\x00" + os.urandom(64))

    [outcome] = scan_inbox()

    assert outcome["outcome"] == "failed"
    reason = (inbox / "ada/failed/setup.exe.reason.txt").read_text().strip()
    assert reason and reason == outcome["detail"]
    assert (inbox / "ada/failed/setup.exe").exists()
    assert not Document.objects.exists()


def test_a_file_over_the_size_limit_is_refused_without_being_read(inbox, settings):
    settings.REFLECT_MAX_UPLOAD_BYTES = 10
    make_user("ada")
    drop(inbox / "ada", "long.vtt", VTT)

    [outcome] = scan_inbox()

    assert outcome["outcome"] == "failed" and "file too large" in outcome["detail"]
    assert "file too large" in (inbox / "ada/failed/long.vtt.reason.txt").read_text()


def test_folders_of_unknown_people_are_ignored_with_a_log_line(inbox, caplog):
    make_user("ada")
    stray = drop(inbox / "nobody", "notes.vtt", VTT)

    with caplog.at_level(logging.INFO, logger="reflect.inbox"):
        assert scan_inbox() == []

    assert stray.exists() and not Document.objects.exists()
    assert "no active user is called 'nobody'" in caplog.text
    assert (inbox / "ada").is_dir()


def test_a_second_file_with_the_same_name_never_overwrites_the_first(inbox):
    make_user("ada")
    drop(inbox / "ada", "notes.exe", b"MZ first")
    scan_inbox()
    drop(inbox / "ada", "notes.exe", b"MZ second")
    scan_inbox()

    failed = inbox / "ada/failed"
    assert (failed / "notes.exe").read_bytes() == b"MZ first"
    assert (failed / "notes (2).exe").read_bytes() == b"MZ second"
    assert (failed / "notes (2).exe.reason.txt").exists()


def test_symbolic_links_are_never_followed(inbox, tmp_path):
    """A link in someone's inbox must not ingest a file the worker can read elsewhere."""
    make_user("ada")
    make_user("bob")
    secret = drop(tmp_path / "elsewhere", "secret.vtt", VTT)
    bobs = drop(inbox / "bob/Private", "bob.vtt", VTT + b"bob")
    (inbox / "ada").mkdir(parents=True, exist_ok=True)
    (inbox / "ada/linked.vtt").symlink_to(secret)
    (inbox / "ada/Bob's").symlink_to(bobs.parent, target_is_directory=True)

    outcomes = scan_inbox()

    assert [o["user"] for o in outcomes] == ["bob"]
    assert Document.objects.get().owner.username == "bob"
    assert secret.exists() and (inbox / "ada/linked.vtt").is_symlink()

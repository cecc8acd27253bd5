"""`manage.py ingest` extracts in-process and prints one JSON line per file."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reflect.models import Collection

from ..factories import make_user

pytestmark = pytest.mark.django_db


def run_ingest(capsys, *args):
    code = 0
    try:
        call_command("ingest", *args)
    except SystemExit as exit:
        code = exit.code
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_every_file_is_processed_even_when_some_fail(capsys, tmp_path):
    make_user("ada")
    (tmp_path / "notes.txt").write_text("Alice: We need a budget owner.\n")
    (tmp_path / "empty.vtt").write_bytes(b"")
    (tmp_path / "later.md").write_text("# Review\n\nThe budget owner is Bob.\n")

    code, lines = run_ingest(
        capsys, str(tmp_path), "--user", "ada", "--collection", "Budget"
    )

    assert code == 1
    by_file = {line["file"].rsplit("/", 1)[-1]: line for line in lines}
    assert (
        by_file["empty.vtt"]["status"] == "failed"
        and "empty file" in by_file["empty.vtt"]["error"]
    )
    assert (
        by_file["notes.txt"]["status"] == "ready" and by_file["notes.txt"]["words"] == 6
    )
    assert by_file["later.md"]["kind"] == "md" and by_file["later.md"]["tokens"] > 0
    assert set(lines[0]) == {
        "file",
        "document_id",
        "status",
        "kind",
        "error",
        "pages",
        "words",
        "tokens",
    }
    collection = Collection.objects.get(name="Budget")
    assert collection.documents.count() == 2


def test_show_text_adds_the_extracted_text_and_success_exits_zero(capsys, corpus):
    make_user("ada")

    code, lines = run_ingest(
        capsys,
        str(corpus / "transcripts/vtt/webvtt-py/teams_timeframe.vtt"),
        "--user",
        "ada",
        "--show-text",
    )

    assert code == 0
    assert lines[0]["status"] == "ready"
    assert lines[0]["text"]


def test_an_unknown_user_is_a_clear_error(capsys, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("ingest", str(tmp_path), "--user", "nobody")


def test_a_collection_name_the_rule_refuses_stops_before_any_file(capsys, tmp_path):
    make_user("ada")
    (tmp_path / "notes.txt").write_text("Alice: We need a budget owner.\n")

    with pytest.raises(CommandError, match="at most 200 characters"):
        call_command(
            "ingest", str(tmp_path), "--user", "ada", "--collection", "x" * 201
        )

    assert not Collection.objects.exists()
    assert capsys.readouterr().out == ""

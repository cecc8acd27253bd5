"""A reflection reads the documents as they were when the question was asked."""

import pytest

from reflect.models import Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.factories import make_document
from tests.stub_openai import answer

from .helpers import good_result

pytestmark = pytest.mark.django_db


def test_snapshot_records_ids_hashes_and_titles(owner, meetings, stub_openai):
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    assert reflection.snapshot == [
        {"id": d.pk, "sha256": d.sha256, "title": d.title} for d in meetings
    ]


def test_a_deleted_document_is_left_out_and_listed(stub_openai, owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    gone = meetings[1]
    gone_id = gone.pk
    gone.delete()
    stub_openai.script(answer(good_result(meetings[0].pk, gone_id)))

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED
    assert finished.manifest["left_out"] == [
        {
            "id": gone_id,
            "title": "Week two",
            "reason": "deleted since the question was asked",
        }
    ]
    assert gone.text not in stub_openai.requests[0].raw.decode()
    # Quotes from the deleted document can no longer be verified.
    evidence = finished.result["findings"][0]["evidence"]
    assert [e["verified"] for e in evidence] == [True, False]


def test_a_changed_document_is_not_read(stub_openai, owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    type(meetings[0]).objects.filter(pk=meetings[0].pk).update(
        sha256="0" * 64, text="replaced"
    )
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))

    finished = run_reflection(reflection_id=reflection.pk)

    assert (
        finished.manifest["left_out"][0]["reason"]
        == "its content changed since the question was asked"
    )
    assert "replaced" not in stub_openai.requests[0].raw.decode()


def test_no_document_left_fails_clearly(stub_openai, owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    for document in meetings:
        document.delete()

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "snapshot"
    assert finished.error == "none of the reflection's documents is still available"
    assert stub_openai.requests == []


def test_a_snapshot_naming_another_persons_document_never_reads_it(
    stub_openai, owner, stranger, meetings
):
    """Snapshots are loaded through the owner: an id that is not theirs reads as gone."""
    secret = make_document(stranger, title="Payroll", text="Ana earns 1,000,000.")
    reflection = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    Reflection.objects.filter(pk=reflection.pk).update(
        snapshot=[
            *reflection.snapshot,
            {"id": secret.pk, "sha256": secret.sha256, "title": secret.title},
        ]
    )
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))

    finished = run_reflection(reflection_id=reflection.pk)

    assert finished.status == Reflection.Status.SUCCEEDED
    assert "1,000,000" not in stub_openai.requests[0].raw.decode()
    assert {"id": secret.pk, "title": "Payroll"}.items() <= finished.manifest[
        "left_out"
    ][0].items()

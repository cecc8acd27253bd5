"""A link opens the ask form filled in: question, collection, documents, preset, a
follow-up's parent or a re-run's earlier reflection. Someone else's ids fill nothing."""

import pytest

from reflect.models import Collection, Reflection

from ..factories import make_document, make_reflection, make_user
from .ask_page import checked, hidden, page, selected, start_button, textarea

pytestmark = pytest.mark.django_db


def test_a_question_fills_the_question_box(client, owner):
    filled = page(client, "?question=Who+owns+the+launch%3F")

    assert textarea(filled, "question") == "Who owns the launch?"


def test_a_collection_is_selected(client, owner):
    Collection.objects.create(owner=owner, name="Other")
    collection = Collection.objects.create(owner=owner, name="Q3 planning")

    filled = page(client, f"?collection={collection.pk}")

    assert selected(filled, "collection") == str(collection.pk)


def test_several_documents_are_checked(client, owner):
    first, _, third = (make_document(owner, title=t) for t in ("A", "B", "C"))

    filled = page(client, f"?documents={first.pk}&documents={third.pk}")

    assert checked(filled, "documents") == [str(first.pk), str(third.pk)]


def test_a_preset_is_chosen(client, owner):
    filled = page(client, "?preset=risks")

    assert checked(filled, "preset") == ["risks"]


def test_a_follow_up_reads_its_parents_documents_at_its_effort(client, owner):
    read, _ = make_document(owner, title="Read"), make_document(owner, title="Not")
    parent = make_reflection(
        owner, question="What slipped?", documents=[read], effort="high"
    )

    filled = page(client, f"?parent={parent.pk}&question=Who+owns+it%3F")

    assert hidden(filled, "parent") == str(parent.pk)
    assert checked(filled, "documents") == [str(read.pk)]
    assert selected(filled, "effort") == "high"
    assert textarea(filled, "question") == "Who owns it?"
    assert "Ask a follow-up" in filled and "What slipped?" in filled


def test_a_rerun_asks_the_same_of_the_same_collection(client, owner):
    document = make_document(owner)
    collection = Collection.objects.create(owner=owner, name="Q3")
    collection.documents.add(document)
    earlier = make_reflection(
        owner,
        question="What changed?",
        documents=[document],
        collection=collection,
        effort="low",
    )

    filled = page(client, f"?compare={earlier.pk}")

    assert selected(filled, "collection") == str(collection.pk)
    assert textarea(filled, "question") == "What changed?"
    assert selected(filled, "effort") == "low"
    assert hidden(filled, "compare") == str(earlier.pk)


def test_what_a_link_fills_is_estimated_at_once(client, owner):
    document = make_document(owner)

    filled = page(client, f"?documents={document.pk}&preset=risks")

    assert 'id="estimate"' in filled and "<dt>Plan</dt>" in filled
    assert start_button(filled)[1] == "Start (offline, free)"


@pytest.fixture
def theirs():
    other = make_user("other")
    document = make_document(other, title="Their merger notes")
    collection = Collection.objects.create(owner=other, name="Their secret plans")
    reflection = make_reflection(
        other, question="Their private question", documents=[document]
    )
    return document, collection, reflection


@pytest.mark.parametrize(
    "query, message",
    [
        ("?collection={c}", "Collection {c} is not one of yours."),
        ("?documents={d}", "Document {d} is not one of your ready documents."),
        ("?parent={r}", "Reflection {r} is not one of yours."),
        ("?compare={r}", "Reflection {r} is not one of yours."),
        ("?collection=999999", "Collection 999999 is not one of yours."),
        ("?documents=abc", "Document abc is not one of your ready documents."),
        ("?preset=nope", "There is no preset question nope."),
    ],
)
def test_someone_elses_or_an_unknown_id_is_a_clear_error(
    client, owner, theirs, query, message
):
    document, collection, reflection = theirs
    ids = {"c": collection.pk, "d": document.pk, "r": reflection.pk}

    refused = page(client, query.format(**ids))

    assert message.format(**ids) in refused
    for secret in (
        "Their merger notes",
        "Their secret plans",
        "Their private question",
    ):
        assert secret not in refused
    assert start_button(refused) is None


def test_a_selection_keeps_its_ready_documents_and_names_the_one_left_out(
    client, owner
):
    ready = make_document(owner, title="Ready")
    waiting = make_document(owner, title="Waiting", status="processing")

    filled = page(client, f"?documents={ready.pk}&documents={waiting.pk}")

    assert checked(filled, "documents") == [str(ready.pk)]
    assert f"Document {waiting.pk} is not one of your ready documents." in filled
    assert Reflection.objects.count() == 0


def test_what_is_valid_fills_the_form_beside_a_refused_id(client, owner, theirs):
    _, collection, _ = theirs

    filled = page(client, f"?collection={collection.pk}&question=Who+decides%3F")

    assert textarea(filled, "question") == "Who decides?"
    assert selected(filled, "collection") is None
    assert f"Collection {collection.pk} is not one of yours." in filled

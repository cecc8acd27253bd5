"""Creating a reflection: whose documents, which question, which provider, enqueued on commit."""

import pytest

from reflect.models import Collection, Document, Reflection
from reflect.reflections.asking import PRESETS, ReflectionError, create_reflection
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def test_presets_use_the_offline_analyzer_slugs_in_the_issue_order():
    from reflect.reasoning.offline import PRESET_KINDS

    assert list(PRESETS) == list(PRESET_KINDS)
    assert (
        PRESETS["blind_spots"]
        == "What is the most important thing nobody is paying attention to?"
    )
    assert (
        PRESETS["changes"]
        == "What changed between the earliest and the latest documents?"
    )


def test_a_preset_fills_the_question(owner, meetings, stub_openai):
    reflection = create_reflection(
        owner=owner,
        preset="unanswered_questions",
        document_ids=[meetings[0].pk],
        enqueue=False,
    )

    assert reflection.question == "Which questions were asked and never answered?"
    assert reflection.preset == "unanswered_questions"
    assert reflection.status == Reflection.Status.QUEUED
    assert reflection.provider == "openai" and reflection.model == "gpt-5.6"
    assert reflection.effort == "medium"


def test_documents_of_a_collection_that_are_ready(owner, meetings, stub_openai):
    pending = make_document(
        owner, title="Still extracting", status=Document.Status.PENDING
    )
    collection = Collection.objects.create(owner=owner, name="Launch")
    collection.documents.add(*meetings, pending)

    reflection = create_reflection(
        owner=owner, question="Why late?", collection=collection, enqueue=False
    )

    assert reflection.document_ids == [d.pk for d in meetings]
    assert reflection.collection == collection


def test_someone_elses_documents_and_collections_are_refused(
    owner, stranger, meetings, stub_openai
):
    theirs = make_document(stranger, title="Theirs", text="Private.")
    their_collection = Collection.objects.create(owner=stranger, name="Private")

    with pytest.raises(ReflectionError, match="not yours or not ready"):
        create_reflection(
            owner=owner,
            question="?",
            document_ids=[meetings[0].pk, theirs.pk],
            enqueue=False,
        )
    with pytest.raises(ReflectionError, match="belongs to someone else"):
        create_reflection(
            owner=owner, question="?", collection=their_collection, enqueue=False
        )
    assert not Reflection.objects.exists()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"question": ""}, "ask a question or choose a preset"),
        ({"preset": "nonsense"}, "unknown preset"),
        ({"question": "?", "effort": "extreme"}, "effort must be low, medium or high"),
        ({"question": "?", "provider": "anthropic"}, "unknown provider"),
        ({"question": "x" * 4001}, "longer than 4000 characters"),
    ],
)
def test_invalid_requests_say_why(owner, meetings, stub_openai, kwargs, message):
    with pytest.raises(ReflectionError, match=message):
        create_reflection(
            owner=owner, document_ids=[meetings[0].pk], enqueue=False, **kwargs
        )


def test_a_follow_up_asks_the_same_documents(owner, meetings, stub_openai):
    parent = create_reflection(
        owner=owner,
        preset="risks",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    follow_up = create_reflection(
        owner=owner, question="Who owns payment testing?", parent=parent, enqueue=False
    )

    assert follow_up.parent == parent
    assert follow_up.document_ids == parent.document_ids


def test_offline_when_no_model_is_configured(settings, owner, meetings):
    settings.OPENAI_API_KEY = settings.OPENAI_BASE_URL = settings.REFLECT_PROVIDER = ""

    reflection = create_reflection(
        owner=owner, preset="risks", document_ids=[meetings[0].pk], enqueue=False
    )

    assert reflection.provider == "offline"
    assert reflection.model.startswith("Offline analyzer")
    assert reflection.estimate["cost_usd"] == [0.0, 0.0]


def test_enqueued_when_the_transaction_commits(
    owner, meetings, stub_openai, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reflection = create_reflection(
            owner=owner, preset="risks", document_ids=[meetings[0].pk]
        )
        assert queued_tasks() == []

    assert queued_tasks() == [("reflect.tasks.run_reflection", [reflection.pk])]

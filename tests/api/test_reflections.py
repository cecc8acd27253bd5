"""Reflections through the API: estimate (creates nothing), start (queued after commit), read, cancel, retry."""

import pytest

from reflect.models import Collection, Reflection
from reflect.reflections.shape import reflection_as_json

from ..factories import make_document, make_reflection, verified_result
from .conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(api_user):
    return [
        make_document(
            api_user, title=f"Standup {n}", text=f"Alice: item {n}. Bob: I will check."
        )
        for n in (1, 2)
    ]


def test_estimate_only_returns_the_estimate_and_creates_and_queues_nothing(
    api, documents, queued_tasks, settings
):
    settings.REFLECT_PROVIDER = "openai"

    response = api.post(
        "/api/reflections/",
        {
            "document_ids": [d.pk for d in documents],
            "preset": "blind_spots",
            "estimate_only": True,
        },
    )

    assert response.status_code == 200, response.content
    estimate = response.json()["estimate"]
    assert (
        estimate["documents"] == 2
        and estimate["input_tokens"] > 0
        and estimate["mode"] == "single"
    )
    assert not Reflection.objects.exists()
    assert queued_tasks() == []


def test_starting_queues_the_reflection_after_commit_and_answers_202_with_its_status(
    api, documents, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(
            "/api/reflections/",
            {
                "document_ids": [documents[0].pk],
                "question": "Who checks?",
                "effort": "low",
            },
        )
        assert queued_tasks() == []
    for callback in callbacks:
        callback()

    assert response.status_code == 202, response.content
    body = response.json()
    reflection = Reflection.objects.get()
    assert body["id"] == reflection.pk and body["status"] == "queued"
    assert body["question"] == "Who checks?" and body["effort"] == "low"
    assert body["document_ids"] == [documents[0].pk]
    assert body["url"] == f"/api/reflections/{reflection.pk}/"
    assert queued_tasks() == [("reflect.tasks.run_reflection", [reflection.pk])]


def test_a_collection_is_asked_of_its_ready_documents(
    api, api_user, documents, queued_tasks
):
    collection = Collection.objects.create(owner=api_user, name="Q3")
    collection.documents.add(*documents)

    body = api.post(
        "/api/reflections/", {"collection_id": collection.pk, "preset": "risks"}
    ).json()

    assert body["collection_id"] == collection.pk
    assert sorted(body["document_ids"]) == sorted(d.pk for d in documents)


def test_a_follow_up_asks_of_the_parents_documents(
    api, api_user, documents, queued_tasks
):
    parent = make_reflection(
        api_user,
        documents=documents[:1],
        result=verified_result(documents[0], "I will check"),
    )

    body = api.post(
        "/api/reflections/", {"parent_id": parent.pk, "question": "Who is Bob?"}
    ).json()

    assert body["parent_id"] == parent.pk and body["document_ids"] == [documents[0].pk]


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"preset": "risks"}, "choose a collection or at least one document"),
        ({"document_ids": [1], "collection_id": 1, "preset": "risks"}, "not both"),
        (
            {"document_ids": [987654], "preset": "risks"},
            "not yours or not ready: 987654",
        ),
        ({"document_ids": [1]}, "ask a question or choose a preset"),
    ],
)
def test_a_reflection_that_cannot_be_asked_answers_422_saying_why(
    api, documents, payload, message
):
    error = assert_error(
        api.post("/api/reflections/", payload), 422, error_code(payload)
    )

    assert message in error["message"]
    assert not Reflection.objects.exists()


def error_code(payload: dict) -> str:
    return "invalid" if "collection_id" in payload else "cannot_reflect"


def test_a_pending_document_cannot_be_asked_yet(api, api_user):
    pending = make_document(api_user, status="pending", text="")

    error = assert_error(
        api.post(
            "/api/reflections/", {"document_ids": [pending.pk], "preset": "risks"}
        ),
        422,
        "cannot_reflect",
    )
    assert "not ready" in error["message"]


def test_an_unknown_preset_or_effort_answers_422_naming_the_field(api, documents):
    error = assert_error(
        api.post(
            "/api/reflections/", {"document_ids": [documents[0].pk], "preset": "gossip"}
        ),
        422,
        "invalid",
    )
    assert "preset" in error["message"]
    assert error["details"][0]["location"] == ["body", "payload", "preset"]
    assert_error(
        api.post(
            "/api/reflections/",
            {"document_ids": [documents[0].pk], "preset": "risks", "effort": "extreme"},
        ),
        422,
        "invalid",
    )


def test_a_finished_reflection_reads_as_the_cli_prints_it(api, api_user, documents):
    reflection = make_reflection(
        api_user,
        documents=documents[:1],
        result=verified_result(documents[0], "I will check"),
    )

    body = api.get(f"/api/reflections/{reflection.pk}/").json()

    expected = reflection_as_json(reflection)
    assert {key: body[key] for key in expected} == expected
    assert body["findings"][0]["evidence"][0]["verified"] is True
    assert body["findings"][0]["evidence"][0]["quote"] == "I will check"


def test_the_list_searches_and_filters_by_status(api, api_user, documents):
    make_reflection(api_user, question="Who owns the budget?", status="succeeded")
    make_reflection(api_user, question="What slipped?", status="failed")

    assert [
        r["question"] for r in api.get("/api/reflections/", q="budget").json()["items"]
    ] == ["Who owns the budget?"]
    assert [
        r["question"]
        for r in api.get("/api/reflections/", status="failed").json()["items"]
    ] == ["What slipped?"]


def test_cancel_then_retry_and_the_conflicts_when_the_state_does_not_allow_it(
    api, api_user, queued_tasks
):
    reflection = make_reflection(api_user, status="queued")

    assert (
        api.post(f"/api/reflections/{reflection.pk}/cancel/").json()["status"]
        == "cancelled"
    )
    error = assert_error(
        api.post(f"/api/reflections/{reflection.pk}/cancel/"), 409, "conflict"
    )
    assert "cancelled" in error["message"]

    retried = api.post(f"/api/reflections/{reflection.pk}/retry/")
    assert retried.status_code == 202 and retried.json()["status"] == "queued"
    assert_error(api.post(f"/api/reflections/{reflection.pk}/retry/"), 409, "conflict")

"""An Idempotency-Key makes a creating POST safe to send twice: one object, one model call."""

import pytest

from reflect.models import Reflection

from ..factories import make_document
from .conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(api_user):
    document = make_document(api_user, title="Standup", text="Alice: I will check.")
    return {"document_ids": [document.pk], "question": "Who checks?"}


def test_the_same_key_and_body_twice_make_one_reflection_queued_once(
    api, body, queued_tasks, django_capture_on_commit_callbacks
):
    key = {"Idempotency-Key": "retry-after-timeout-1"}
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/api/reflections/", body, headers=key)
        second = api.post("/api/reflections/", body, headers=key)

    assert first.status_code == second.status_code == 202, second.content
    assert first.json()["id"] == second.json()["id"]
    assert Reflection.objects.count() == 1
    assert queued_tasks() == [("reflect.tasks.run_reflection", [first.json()["id"]])]


def test_the_same_key_with_another_body_is_a_conflict(api, body):
    key = {"Idempotency-Key": "k-2"}
    api.post("/api/reflections/", body, headers=key)

    response = api.post(
        "/api/reflections/", {**body, "question": "Something else?"}, headers=key
    )

    assert_error(response, 409, "idempotency_key_reused")
    assert Reflection.objects.count() == 1


def test_without_a_key_each_post_creates_and_keys_are_per_person(
    api, stranger_api, body
):
    api.post("/api/reflections/", body)
    api.post("/api/reflections/", body)
    assert Reflection.objects.count() == 2

    api.post("/api/reflections/", body, headers={"Idempotency-Key": "shared"})
    response = stranger_api.post(
        "/api/reflections/", body, headers={"Idempotency-Key": "shared"}
    )
    # The stranger's key is their own: it replays nothing of the owner's (and the
    # documents are not theirs to ask of).
    assert response.status_code == 422
    assert Reflection.objects.count() == 3


def test_a_request_that_failed_leaves_its_key_free(api, body):
    key = {"Idempotency-Key": "k-4"}
    failed = api.post("/api/reflections/", {**body, "document_ids": [999]}, headers=key)
    assert failed.status_code == 422

    response = api.post("/api/reflections/", body, headers=key)

    assert response.status_code == 202, response.content


def test_creating_a_collection_twice_with_one_key_gives_the_same_collection(api):
    from reflect.models import Collection

    key = {"Idempotency-Key": "col-1"}
    first = api.post("/api/collections/", {"name": "Q3"}, headers=key)
    second = api.post("/api/collections/", {"name": "Q3"}, headers=key)

    assert first.status_code == second.status_code == 201, second.content
    assert first.json()["id"] == second.json()["id"]
    assert Collection.objects.count() == 1
    # Without the key, the same name is the conflict it always was.
    assert_error(api.post("/api/collections/", {"name": "Q3"}), 409, "name_taken")

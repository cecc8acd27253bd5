"""Ownership: every API route with an object id answers 404 to a stranger and changes nothing; lists,
searches and ids inside request bodies never reach someone else's data.

The routes are read from the API's own OpenAPI schema, so a route added later is covered too.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reflect.api import api
from reflect.models import Collection, Document, Notification, Reflection

from ..factories import make_document, make_reflection, verified_result
from .conftest import assert_error

pytestmark = pytest.mark.django_db

# A valid body for each request schema, so the answer is about ownership, not validation.
BODIES = {
    "CollectionIn": lambda mine: {"name": "renamed"},
    "DocumentIdsIn": lambda mine: {"document_ids": [mine.pk]},
}


@pytest.fixture
def victims_data(api_user):
    """The owner's document, collection (holding it), reflection and notification."""
    document = make_document(
        api_user, title="Secret plan", text="Alice: the merger closes Friday."
    )
    collection = Collection.objects.create(owner=api_user, name="Private")
    collection.documents.add(document)
    reflection = make_reflection(
        api_user,
        documents=[document],
        collection=collection,
        result=verified_result(document, "the merger closes Friday"),
    )
    notification = Notification.objects.create(
        user=api_user,
        reflection=reflection,
        status="succeeded",
        message="Reflection ready",
    )
    return {
        "document_id": document.pk,
        "collection_id": collection.pk,
        "reflection_id": reflection.pk,
        "notification_id": notification.pk,
    }


def object_routes() -> list[tuple[str, str, str | None]]:
    """(method, path template, request schema name) for every operation with an id in its path."""
    schema = api.get_openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        if "{" not in path:
            continue
        for method, operation in operations.items():
            body = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
            )
            ref = body.get("schema", {}).get("$ref", "")
            routes.append((method, path, ref.rsplit("/", 1)[-1] or None))
    return routes


def test_the_walk_reaches_every_resource_and_every_verb():
    routes = object_routes()
    assert {path.split("/")[2] for _, path, _ in routes} == {
        "documents",
        "collections",
        "reflections",
        "notifications",
    }
    assert {method for method, _, _ in routes} == {"get", "post", "patch", "delete"}


@pytest.mark.parametrize(
    "method, template, body_schema",
    object_routes(),
    ids=[f"{m.upper()} {p}" for m, p, _ in object_routes()],
)
def test_a_strangers_request_for_an_owners_object_answers_404_and_changes_nothing(
    stranger, stranger_api, victims_data, method, template, body_schema
):
    mine = make_document(stranger, title="stranger's own")
    path = re.sub(r"\{(\w+)\}", lambda m: str(victims_data[m.group(1)]), template)
    body = BODIES[body_schema](mine) if body_schema else {}
    before = snapshot()

    call = getattr(stranger_api, method)
    response = call(path, body) if method in {"post", "patch"} else call(path)

    assert_error(response, 404, "not_found")
    assert snapshot() == before


def snapshot() -> dict:
    return {
        "documents": list(Document.objects.order_by("pk").values_list("pk", "title")),
        "collections": list(
            Collection.objects.order_by("pk").values_list("pk", "name")
        ),
        "members": sorted(
            Collection.documents.through.objects.values_list(
                "collection_id", "document_id"
            )
        ),
        "reflections": list(
            Reflection.objects.order_by("pk").values_list("pk", "status")
        ),
        "notifications": list(
            Notification.objects.order_by("pk").values_list("pk", "read_at")
        ),
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/",
        "/api/collections/",
        "/api/reflections/",
        "/api/notifications/",
    ],
)
def test_lists_never_show_someone_elses_data(api, stranger_api, victims_data, path):
    assert api.get(path).json()["total"] == 1
    assert stranger_api.get(path).json() == {
        "items": [],
        "total": 0,
        "limit": 50,
        "offset": 0,
    }


def test_searching_and_filtering_by_someone_elses_collection_finds_nothing(
    stranger_api, victims_data
):
    assert stranger_api.get("/api/reflections/", q="merger").json()["total"] == 0
    assert (
        stranger_api.get(
            "/api/reflections/", collection_id=victims_data["collection_id"]
        ).json()["total"]
        == 0
    )


@pytest.mark.parametrize("field", ["collection_id", "parent_id"])
def test_starting_a_reflection_on_someone_elses_collection_or_reflection_answers_404(
    stranger_api, victims_data, field, queued_tasks
):
    before = Reflection.objects.count()

    response = stranger_api.post(
        "/api/reflections/",
        {field: victims_data[field.replace("parent", "reflection")], "preset": "risks"},
    )

    assert_error(response, 404, "not_found")
    assert Reflection.objects.count() == before


def test_asking_of_someone_elses_documents_is_refused_and_reveals_nothing(
    stranger_api, victims_data
):
    error = assert_error(
        stranger_api.post(
            "/api/reflections/",
            {
                "document_ids": [victims_data["document_id"]],
                "preset": "risks",
                "estimate_only": True,
            },
        ),
        422,
        "cannot_reflect",
    )
    assert "Secret plan" not in error["message"]


def test_uploading_into_someone_elses_collection_answers_404_and_stores_nothing(
    stranger_api, victims_data
):
    before = Document.objects.count()

    response = stranger_api.upload(
        "/api/documents/",
        {
            "files": [SimpleUploadedFile("a.txt", b"Bob: hi.\n")],
            "collection_id": victims_data["collection_id"],
        },
    )

    assert_error(response, 404, "not_found")
    assert Document.objects.count() == before

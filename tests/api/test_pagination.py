"""Lists answer in limit/offset pages with the total, in a number of queries that does not grow
with the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reflect.models import Collection, Notification

from ..factories import make_document, make_reflection
from .conftest import assert_error

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/documents/",
    "/api/collections/",
    "/api/reflections/",
    "/api/notifications/",
]


@pytest.fixture
def many(api_user):
    """Twelve of everything, each collection holding documents, each reflection notified."""
    documents = [make_document(api_user, title=f"Doc {n:02}") for n in range(12)]
    for n in range(12):
        collection = Collection.objects.create(
            owner=api_user, name=f"Collection {n:02}"
        )
        collection.documents.add(*documents[: n + 1])
        reflection = make_reflection(
            api_user,
            question=f"Question {n:02}",
            documents=documents[:2],
            collection=collection,
        )
        Notification.objects.create(
            user=api_user,
            reflection=reflection,
            status="succeeded",
            message=f"Done {n}",
        )
    return documents


def test_pages_walk_the_whole_list_newest_first_with_the_total(api, many):
    first = api.get("/api/documents/", limit=5).json()
    third = api.get("/api/documents/", limit=5, offset=10).json()

    assert (first["total"], first["limit"], first["offset"]) == (12, 5, 0)
    assert [d["title"] for d in first["items"]] == [
        f"Doc {n:02}" for n in range(11, 6, -1)
    ]
    assert [d["title"] for d in third["items"]] == ["Doc 01", "Doc 00"]
    assert api.get("/api/documents/", offset=50).json()["items"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "ten"}, "limit"),
    ],
)
def test_a_page_size_out_of_range_answers_422_naming_the_parameter(api, params, field):
    error = assert_error(api.get("/api/documents/", **params), 422, "invalid")
    assert field in error["message"]


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", LISTS)
def test_the_query_count_does_not_grow_with_the_page_size(
    api, many, path, django_assert_max_num_queries
):
    api.get(path)  # records the token's use, so both counts below are read-only
    one = count_queries(lambda: api.get(path, limit=1))

    with django_assert_max_num_queries(one):
        response = api.get(path, limit=12)

    assert len(response.json()["items"]) == 12
    assert one <= 4, "token lookup, count, page, and at most one prefetch"

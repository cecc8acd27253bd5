"""The busy pages cost the same number of queries whether they show 5 rows or 50.

Each page is fetched once with 5 rows and its queries counted, then with 50 rows under
`django_assert_max_num_queries` of that count: a query per row (a missing select_related, a
lookup in a template loop) fails here before it shows in the load bench.
"""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reflect.models import Collection, Document, Notification, Reflection
from tests.factories import make_document, verified_result

pytestmark = pytest.mark.django_db


def add_documents(owner, count: int, start: int = 0) -> list[Document]:
    return Document.objects.bulk_create(
        [
            Document(
                owner=owner,
                title=f"Meeting {n}",
                original_name=f"meeting-{n}.txt",
                kind="txt",
                size=40,
                sha256=hashlib.sha256(f"{owner.pk}-{n}".encode()).hexdigest(),
                status="ready",
                text=f"Alice: item {n} is late.",
                segments=[{"start": 0, "end": 20, "line": 1}],
                words=5,
                file=f"originals/meeting-{n}.txt",
            )
            for n in range(start, start + count)
        ]
    )


def add_reflections(
    owner, count: int, *, collection=None, question="Who owns the vendor contract?"
):
    document = make_document(
        owner,
        title=f"Standup {Reflection.objects.count()}",
        text="Bob: the vendor contract expires Friday.",
    )
    result = verified_result(document, "the vendor contract expires Friday.")
    reflections = Reflection.objects.bulk_create(
        [
            Reflection(
                owner=owner,
                question=f"{question} ({n})",
                provider="openai",
                model="gpt-5.6",
                status="succeeded",
                result=result,
                collection=collection,
                finished_at=timezone.now(),
                snapshot=[
                    {
                        "id": document.pk,
                        "sha256": document.sha256,
                        "title": document.title,
                    }
                ],
            )
            for n in range(count)
        ]
    )
    return reflections


def queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code in (200, 286), (url, response.status_code)
    return len(captured.captured_queries)


def assert_constant(client, django_assert_max_num_queries, url: str, grow, **headers):
    few = queries(client, url, **headers)
    grow()
    with django_assert_max_num_queries(few):
        response = client.get(url, **headers)
    assert response.status_code in (200, 286)


def test_documents_list(client, owner, django_assert_max_num_queries):
    add_documents(owner, 5)
    assert_constant(
        client,
        django_assert_max_num_queries,
        "/",
        lambda: add_documents(owner, 45, start=5),
    )


def test_documents_table_fragment(client, owner, django_assert_max_num_queries):
    add_documents(owner, 5)
    assert_constant(
        client,
        django_assert_max_num_queries,
        "/",
        lambda: add_documents(owner, 45, start=5),
        HTTP_HX_REQUEST="true",
    )


def test_reflections_list(client, owner, django_assert_max_num_queries):
    collection = Collection.objects.create(owner=owner, name="Weekly")
    add_reflections(owner, 5, collection=collection)
    assert_constant(
        client,
        django_assert_max_num_queries,
        "/reflections/",
        lambda: add_reflections(
            owner, 45, collection=Collection.objects.create(owner=owner, name="B")
        ),
    )


def test_reflections_search(client, owner, django_assert_max_num_queries):
    add_reflections(owner, 5)
    add_reflections(owner, 50, question="Unrelated")
    assert_constant(
        client,
        django_assert_max_num_queries,
        "/reflections/?q=vendor",
        lambda: add_reflections(owner, 45),
    )


def test_reflection_page_with_many_findings_and_documents(
    client, owner, django_assert_max_num_queries
):
    """Rows here are findings, each citing its own document, and snapshot entries."""
    documents = [
        make_document(
            owner, title=f"Standup {n}", text="Bob: the vendor contract expires Friday."
        )
        for n in range(50)
    ]

    def result_over(docs):
        findings = [
            verified_result(
                d, "the vendor contract expires Friday.", title=f"Risk {n}"
            )["findings"][0]
            for n, d in enumerate(docs)
        ]
        return {"summary": "s", "findings": findings, "follow_up_questions": []}

    reflection = Reflection.objects.create(
        owner=owner,
        question="Risks?",
        provider="openai",
        model="gpt-5.6",
        status="succeeded",
        result=result_over(documents[:5]),
        finished_at=timezone.now(),
        snapshot=[
            {"id": d.pk, "sha256": d.sha256, "title": d.title} for d in documents[:5]
        ],
    )

    def grow():
        Reflection.objects.filter(pk=reflection.pk).update(
            result=result_over(documents),
            snapshot=[
                {"id": d.pk, "sha256": d.sha256, "title": d.title} for d in documents
            ],
        )

    assert_constant(
        client, django_assert_max_num_queries, f"/reflections/{reflection.pk}/", grow
    )


def test_notification_bell_fragment_and_list(
    client, owner, django_assert_max_num_queries
):
    def notify(count):
        for reflection in add_reflections(owner, count):
            Notification.objects.create(
                user=owner,
                reflection=reflection,
                status="succeeded",
                message=f"Finished: {reflection.question}",
            )

    notify(5)
    few_bell = queries(client, "/notifications/bell/", HTTP_HX_REQUEST="true")
    few_list = queries(client, "/notifications/")
    notify(45)
    with django_assert_max_num_queries(few_bell):
        client.get("/notifications/bell/", HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(few_list):
        client.get("/notifications/")

"""Past reflections: search, filters, pagination and compare."""

import pytest

from reflect import history
from reflect.models import Collection

from ..factories import make_reflection, make_user

pytestmark = pytest.mark.django_db


def finding(title, quote, doc_id=1):
    return {
        "title": title,
        "kind": "risk",
        "confidence": "high",
        "observation": "",
        "why_it_matters": "",
        "evidence": [{"document_id": doc_id, "quote": quote}],
    }


def test_search_matches_question_summary_and_findings(owner):
    make_reflection(owner, question="Where do people disagree?")
    make_reflection(
        owner,
        question="Q2",
        result={"summary": "The kinetic battery plan", "findings": []},
    )
    make_reflection(
        owner,
        question="Q3",
        result={"summary": "", "findings": [finding("Price drift", "25 Euro")]},
    )
    make_reflection(make_user("other"), question="kinetic battery disagree")

    def found(q):
        return sorted(r.question for r in history.search(owner=owner, filters={"q": q}))

    assert found("disagree") == ["Where do people disagree?"]
    assert found("KINETIC") == ["Q2"]
    assert found("price drift") == ["Q3"]


def test_filters_by_status_collection_and_preset(client, owner):
    collection = Collection.objects.create(owner=owner, name="Design")
    make_reflection(owner, question="in design", collection=collection, preset="risks")
    make_reflection(owner, question="failed one", status="failed")

    assert (
        "in design"
        in client.get(f"/reflections/?collection={collection.pk}").content.decode()
    )
    assert (
        "failed one"
        not in client.get(f"/reflections/?collection={collection.pk}").content.decode()
    )
    assert "failed one" in client.get("/reflections/?status=failed").content.decode()
    assert "in design" in client.get("/reflections/?preset=risks").content.decode()


def test_the_list_costs_the_same_queries_for_one_or_many_per_page(
    client, owner, django_assert_max_num_queries
):
    collection = Collection.objects.create(owner=owner, name="C")
    for i in range(30):
        make_reflection(
            owner,
            question=f"Q{i}",
            collection=collection,
            result={"summary": "s", "findings": [finding("t", "q")]},
        )

    with django_assert_max_num_queries(8):
        response = client.get("/reflections/")
    assert response.content.decode().count('class="status status-succeeded"') == 25
    assert "Page 1 of 2" in response.content.decode()


def test_compare_sorts_findings_into_new_still_there_and_gone(owner):
    earlier = make_reflection(
        owner,
        result={
            "findings": [
                finding("Battery choice unresolved", "kinetic or rechargeable"),
                finding("No owner for the LCD", "flip-top LCD"),
            ]
        },
    )
    later = make_reflection(
        owner,
        result={
            "findings": [
                finding("Battery choice still unresolved", "something else entirely"),
                finding("Production cost over target", "12.50"),
            ]
        },
    )

    comparison = history.compare(earlier=earlier, later=later)

    assert [f["title"] for f in comparison["new"]] == ["Production cost over target"]
    assert [p["now"]["title"] for p in comparison["still_there"]] == [
        "Battery choice still unresolved"
    ]
    assert [f["title"] for f in comparison["gone"]] == ["No owner for the LCD"]
    assert history.change_line(comparison) == "1 new, 1 still there, 1 gone"

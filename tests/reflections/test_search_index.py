"""Search comes from the full-text index (FTS5 on SQLite, tsvector + GIN on PostgreSQL):
ranked, with highlighted headlines, kept current as results arrive, and never another
person's rows. The suite runs on both databases (CI: DATABASE_URL for PostgreSQL)."""

import pytest
from django.db import connection

from reflect import history
from reflect.models import Reflection

from ..api.conftest import api_client_for
from ..factories import make_reflection, make_user

pytestmark = pytest.mark.django_db


def result(summary="", observation=""):
    return {
        "summary": summary,
        "findings": [
            {
                "title": "A finding",
                "kind": "risk",
                "confidence": "high",
                "observation": observation,
                "why_it_matters": "",
                "evidence": [],
            }
        ],
    }


def found(owner, q):
    return [r.question for r in history.search(owner=owner, filters={"q": q})]


def test_the_index_exists_on_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'reflect_reflection_search'"
            )
            assert "gin" in cursor.fetchone()[0].lower()
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'reflect_reflection_fts'"
            )
            assert "fts5" in cursor.fetchone()[0].lower()


def test_a_match_in_the_question_ranks_above_one_in_a_finding(owner):
    make_reflection(
        owner, question="Older one", result=result(observation="the vendor renewal")
    )
    make_reflection(owner, question="Who owns the vendor renewal?", result=result())
    make_reflection(owner, question="Unrelated", result=result(summary="budget"))

    assert found(owner, "vendor renewal") == [
        "Who owns the vendor renewal?",
        "Older one",
    ]


def test_word_forms_match_and_every_word_must_be_there(owner):
    make_reflection(owner, question="Q1", result=result(summary="Contracts expired"))
    make_reflection(owner, question="Q2", result=result(summary="contract signed"))

    assert sorted(found(owner, "contract")) == ["Q1", "Q2"]
    assert found(owner, "contract expire") == ["Q1"]


def test_another_persons_reflections_never_match(owner):
    other = make_user("other")
    make_reflection(other, question="vendor renewal", result=result("vendor renewal"))

    assert found(owner, "vendor renewal") == []
    assert found(other, "vendor renewal") == ["vendor renewal"]


def test_a_result_written_later_is_found_and_a_deleted_one_is_not(owner):
    reflection = make_reflection(owner, question="Q", status="running", result=None)
    assert found(owner, "kinetic") == []

    Reflection.objects.filter(pk=reflection.pk).update(
        result=result(summary="The kinetic battery plan"), status="succeeded"
    )
    assert found(owner, "kinetic") == ["Q"]

    reflection.delete()
    assert found(owner, "kinetic") == []


def test_punctuation_only_or_quotes_are_no_error(owner):
    make_reflection(owner, question='The "vendor" plan', result=result())

    assert found(owner, '%%% "') == []
    assert found(owner, '"vendor') == ['The "vendor" plan']


def test_the_page_shows_an_escaped_headline_with_the_match_marked(client, owner):
    make_reflection(
        owner, question="Q", result=result(summary="<b>bold</b> kinetic battery plan")
    )

    page = client.get("/reflections/?q=kinetic").content.decode()

    assert "<mark>kinetic</mark>" in page
    assert "<b>bold" not in page


def test_the_api_list_searches_the_same_index(owner):
    make_reflection(owner, question="Who owns the vendor renewal?", result=result())
    make_reflection(
        owner, question="Older", result=result(observation="vendor renewal")
    )
    make_reflection(make_user("other"), question="vendor renewal", result=result())

    response = api_client_for(owner).get("/api/reflections/", q="vendor renewal")

    assert [item["question"] for item in response.json()["items"]] == [
        "Who owns the vendor renewal?",
        "Older",
    ]


def test_the_owner_column_of_the_index_is_never_matched(owner):
    make_reflection(owner, question="Anything?", result=result(summary="Nothing here."))

    assert found(owner, f"u{owner.pk}") == []

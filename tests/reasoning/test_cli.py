"""`manage.py reflect` runs the same service in-process against any OpenAI-compatible server
and prints the result; the exit status says whether it succeeded."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reflect.models import Collection, Reflection
from tests.stub_openai import answer, error

from .helpers import good_result

pytestmark = pytest.mark.django_db


def reflect(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("reflect", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue()


def test_json_output_for_a_collection(stub_openai, owner, meetings):
    collection = Collection.objects.create(owner=owner, name="Launch")
    collection.documents.add(*meetings)
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))

    code, out = reflect(
        "--user",
        "owner",
        "--collection",
        "Launch",
        "--question",
        "What is slipping?",
        "--effort",
        "low",
        "--json",
    )

    assert code == 0
    data = json.loads(out)
    assert set(data) >= {
        "id",
        "status",
        "summary",
        "findings",
        "follow_up_questions",
        "manifest",
        "usage",
        "cost_usd",
        "error",
    }
    assert data["status"] == "succeeded" and data["error"] == ""
    finding = data["findings"][0]
    assert set(finding) >= {
        "title",
        "kind",
        "confidence",
        "observation",
        "why_it_matters",
        "supported",
        "evidence",
    }
    assert finding["evidence"][0] == {
        "document_id": meetings[0].pk,
        "document_title": "Kick-off",
        "quote": "Who is testing the payment flow? Nobody has said.",
        "verified": True,
        "match": "exact",
        "locator": {"line": 3, "speaker": "Carol"},
    }
    assert data["usage"] == {
        "input_tokens": 1000,
        "cached_tokens": 0,
        "output_tokens": 200,
        "reasoning_tokens": 50,
    }
    assert stub_openai.bodies[0]["reasoning_effort"] == "low"
    assert Reflection.objects.get(pk=data["id"]).status == "succeeded"


def test_text_output_for_documents(stub_openai, owner, meetings):
    stub_openai.script(answer(good_result(meetings[0].pk, meetings[1].pk)))

    code, out = reflect(
        "--user",
        "owner",
        "--document",
        str(meetings[0].pk),
        "--document",
        str(meetings[1].pk),
        "--preset",
        "dropped_actions",
    )

    assert code == 0
    assert "Payment testing has no owner (blind_spot, high)" in out
    assert "✓ “I will send the vendor contract to legal by Friday.” — Kick-off" in out


def test_a_failed_reflection_exits_non_zero_with_the_error(
    stub_openai, owner, meetings
):
    stub_openai.script(
        error(401, "Incorrect API key provided.", code="invalid_api_key")
    )

    code, out = reflect(
        "--user",
        "owner",
        "--document",
        str(meetings[0].pk),
        "--question",
        "?",
        "--json",
    )

    assert code == 1
    data = json.loads(out)
    assert data["status"] == "failed"
    assert data["error"] == "the API key was rejected: Incorrect API key provided."


def test_offline_provider_needs_no_server(owner, meetings):
    code, out = reflect(
        "--user",
        "owner",
        "--document",
        str(meetings[0].pk),
        "--preset",
        "unanswered_questions",
        "--provider",
        "offline",
        "--json",
    )

    assert code == 0
    assert json.loads(out)["summary"].startswith("Offline analyzer")


def test_unknown_user_or_collection_is_an_error(owner):
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command(
            "reflect", "--user", "nobody", "--collection", "X", "--question", "?"
        )
    with pytest.raises(CommandError, match="no collection named 'X'"):
        call_command(
            "reflect", "--user", "owner", "--collection", "X", "--question", "?"
        )

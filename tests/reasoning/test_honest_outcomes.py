"""An answer with no findings succeeds only when the model says the documents do not answer
the question; otherwise it is a clear failure that a retry asks again, not reuses."""

import pytest
from django.test import Client

from reflect.api_tokens import create_token
from reflect.models import Reflection, ReflectionPart
from reflect.reasoning.outcomes import NO_FINDINGS
from reflect.reflections.asking import create_reflection
from reflect.reflections.lifecycle import retry_reflection
from reflect.reflections.running import run_reflection
from tests.factories import make_document, make_reflection
from tests.stub_openai import answer, usage

from .helpers import (
    cited_answer,
    good_result,
    is_map_request,
    is_reduce_request,
    long_transcript,
)

pytestmark = pytest.mark.django_db

SILENT = {
    "summary": "The team discussed several things.",
    "findings": [],
    "follow_up_questions": [],
    "documents_do_not_answer": False,
    "no_answer_reason": "",
}
NO_ANSWER = {
    **SILENT,
    "summary": "These meetings never discuss hiring.",
    "documents_do_not_answer": True,
    "no_answer_reason": "Hiring is not mentioned in either meeting.",
}


def ask(owner, documents, question="Who is being hired next quarter?"):
    return create_reflection(
        owner=owner,
        question=question,
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )


def test_no_findings_without_saying_so_fails_as_unusable_and_is_paid_for(
    stub_openai, owner, meetings
):
    stub_openai.script(answer(SILENT, usage_=usage(900, 40)))

    finished = run_reflection(
        reflection_id=ask(owner, meetings).pk, final_attempt=False
    )

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == Reflection.ErrorKind.INVALID_OUTPUT
    assert finished.error == NO_FINDINGS
    assert finished.result is None
    assert finished.usage["input_tokens"] == 900
    assert finished.manifest["calls"][0]["error"] == NO_FINDINGS
    assert len(stub_openai.requests) == 1


def test_a_retry_asks_again_instead_of_reusing_the_empty_answer(
    stub_openai, owner, meetings
):
    stub_openai.script(
        answer(SILENT), answer(good_result(meetings[0].pk, meetings[1].pk))
    )
    reflection = ask(owner, meetings)
    run_reflection(reflection_id=reflection.pk, final_attempt=False)
    assert not ReflectionPart.objects.filter(reflection=reflection).exists()

    retry_reflection(reflection=reflection, enqueue=False)
    finished = run_reflection(reflection_id=reflection.pk, final_attempt=False)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    assert len(finished.result["findings"]) == 2
    assert finished.result["documents_do_not_answer"] is False
    assert len(stub_openai.requests) == 2


def test_the_documents_not_answering_is_a_success_the_page_states_plainly(
    stub_openai, owner, meetings
):
    stub_openai.script(answer(NO_ANSWER))

    finished = run_reflection(
        reflection_id=ask(owner, meetings).pk, final_attempt=False
    )

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    assert finished.result["findings"] == []
    assert finished.result["documents_do_not_answer"] is True
    client = Client()
    client.force_login(owner)
    html = client.get(finished.get_absolute_url()).content.decode()
    assert "The documents do not answer this question." in html
    assert "Hiring is not mentioned in either meeting." in html
    assert "No findings: the evidence did not support any." not in html


def test_a_map_part_may_find_nothing_but_the_synthesis_may_not(
    stub_openai, settings, owner
):
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 2_000
    settings.REFLECT_CONTEXT_TOKENS = 2_000 + 900 + 2_600
    documents = [
        make_document(owner, title=f"Meeting {n}", text=long_transcript(f"m {n}", 80))
        for n in range(3)
    ]
    cited = cited_answer(documents)

    def reply(request):
        if is_map_request(request.body) and len(stub_openai.requests) == 1:
            return answer(SILENT)(request)
        if is_reduce_request(request.body):
            return answer(SILENT)(request)
        return cited(request)

    stub_openai.default = reply
    reflection = ask(owner, documents)
    assert reflection.estimate["mode"] == "map_reduce"

    finished = run_reflection(reflection_id=reflection.pk, final_attempt=False)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error == NO_FINDINGS
    steps = [(c["step"], "error" in c) for c in finished.manifest["calls"]]
    assert steps[-1] == ("reduce", True)
    assert all(step == "map" and not failed for step, failed in steps[:-1])
    # The map parts, the empty one included, are kept; the empty synthesis is not.
    assert ReflectionPart.objects.filter(reflection=reflection).count() == len(
        steps[:-1]
    )


def test_results_stored_before_the_field_existed_still_read(owner):
    old = {"summary": "Old.", "findings": [], "follow_up_questions": []}
    reflection = make_reflection(owner, result=old)
    api = Client(
        headers={"Authorization": f"Bearer {create_token(user=owner, name='t').raw}"}
    )
    client = Client()
    client.force_login(owner)

    body = api.get(f"/api/reflections/{reflection.pk}/").json()
    html = client.get(reflection.get_absolute_url()).content.decode()

    assert body["documents_do_not_answer"] is False
    assert body["no_answer_reason"] == ""
    assert "No findings: the evidence did not support any." in html
    assert "do not answer" not in html

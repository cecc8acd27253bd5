"""A context-length error re-plans the run into map-reduce with smaller batches instead of
failing, whatever shape the server gives the error."""

import pytest

from reflect.models import Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.factories import make_document
from tests.stub_openai import error

from .helpers import (
    cited_answer,
    corpus_text,
    is_map_request,
    is_reduce_request,
    long_transcript,
)

pytestmark = pytest.mark.django_db

OVERFLOWS = {
    "openai": error(
        400,
        "This model's maximum context length is 922000 tokens. However, your messages resulted "
        "in 1000000 tokens. Please reduce the length of the messages.",
        code="context_length_exceeded",
        param="messages",
    ),
    "llamacpp": error(
        400,
        "the request exceeds the available context size, try increasing it",
        type_="exceed_context_size_error",
        code=400,
    ),
    "vllm": error(
        400,
        "This model's maximum context length is 28000 tokens. However, you requested 35210 "
        "tokens (10210 in the messages, 25000 in the completion). Please reduce the length of "
        "the messages or completion.",
        type_="BadRequestError",
        code=400,
        wrap=False,
    ),
}


@pytest.mark.parametrize("shape", OVERFLOWS)
def test_overflow_replans_into_map_reduce(stub_openai, owner, shape):
    documents = [
        make_document(
            owner, title=f"Meeting {n}", text=long_transcript(f"meeting {n}", 150)
        )
        for n in range(2)
    ]
    responder = cited_answer(documents)
    stub_openai.script(OVERFLOWS[shape])
    stub_openai.default = responder
    reflection = create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk, final_attempt=False)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    first, *rest = stub_openai.bodies
    assert not is_map_request(first) and not is_reduce_request(first)
    maps = [body for body in rest if is_map_request(body)]
    assert len(maps) >= 2
    assert is_reduce_request(rest[-1]) and len(rest) == len(maps) + 1
    # Nothing dropped: every line of every document went into some map call.
    sent = "".join(corpus_text(body) for body in maps)
    for document in documents:
        for line in document.text.splitlines():
            assert line in sent
    assert finished.manifest["mode"] == "map_reduce"
    assert finished.manifest["replans"] == 1
    assert len(finished.manifest["plan"]) == len(maps)
    assert all(f["supported"] for f in finished.result["findings"])


def test_overflow_even_for_tiny_parts_fails_clearly(stub_openai, owner, meetings):
    stub_openai.default = OVERFLOWS["openai"]
    reflection = create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk, final_attempt=False)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "context_overflow"
    assert "too small" in finished.error
    assert len(stub_openai.requests) == 1


def test_ollama_silent_truncation_is_caught_and_replanned(stub_openai, settings, owner):
    """Ollama drops the start of a prompt that is too long instead of failing: a reported
    input far below what was sent counts as a context overflow."""
    from tests.stub_openai import answer, usage

    settings.REFLECT_BACKEND_PROFILE = "ollama"
    documents = [
        make_document(
            owner, title=f"Meeting {n}", text=long_transcript(f"meeting {n}", 150)
        )
        for n in range(2)
    ]
    stub_openai.script(
        answer(
            {"summary": "", "findings": [], "follow_up_questions": []},
            usage_=usage(2048, 100),
        )
    )
    stub_openai.default = cited_answer(documents, realistic_usage=True)
    reflection = create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )

    finished = run_reflection(reflection_id=reflection.pk, final_attempt=False)

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    assert finished.manifest["replans"] == 1
    assert "truncated the prompt" in finished.manifest["calls"][0]["error"]
    # The truncated call's tokens were billed (locally: counted) all the same.
    assert finished.manifest["calls"][0]["usage"]["input_tokens"] == 2048

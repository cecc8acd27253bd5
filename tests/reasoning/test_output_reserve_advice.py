"""An answer cut off at the output limit fails with the settings AND the values that would
let it finish: a small server that stopped early (its context full) gets a context size and
an output reserve that fit it; an answer that used the whole limit gets a larger limit."""

import pytest

from reflect.models import Reflection
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.stub_openai import answer, usage

pytestmark = pytest.mark.django_db


def run(owner, meetings):
    reflection = create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in meetings],
        enqueue=False,
    )
    return run_reflection(reflection_id=reflection.pk, final_attempt=False)


@pytest.mark.parametrize("style", ["chat", "responses"])
def test_a_small_server_that_filled_its_context_is_told_values_that_fit_it(
    stub_openai, settings, owner, meetings, style
):
    """llama.cpp shortens the output limit to what its context has left (25,000 asked,
    1,548 + 500 = 2,048 the context)."""
    settings.REFLECT_API_STYLE = style
    settings.REFLECT_BACKEND_PROFILE = "llamacpp"
    stub_openai.script(
        answer(
            '{"summary": "The launch', finish_reason="length", usage_=usage(1548, 500)
        )
    )

    finished = run(owner, meetings)

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "invalid_output"
    assert "REFLECT_CONTEXT_TOKENS=2048" in finished.error
    assert "REFLECT_OUTPUT_RESERVE_TOKENS=1024" in finished.error
    assert "context of about 2048 tokens was full" in finished.error


def test_an_answer_that_used_the_whole_limit_is_told_a_larger_one(
    stub_openai, settings, owner, meetings
):
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 4_000
    stub_openai.script(
        answer('{"summary": "The', finish_reason="length", usage_=usage(1200, 4_000))
    )

    finished = run(owner, meetings)

    assert finished.status == Reflection.Status.FAILED
    assert "output limit (4000 tokens" in finished.error
    assert "REFLECT_OUTPUT_RESERVE_TOKENS=8000" in finished.error

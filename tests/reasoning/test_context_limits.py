"""A server whose context is smaller than the one configured says so in its overflow error;
the run re-plans for the limit it states, then halves the parts while the server (counting
with its own tokenizer) still refuses, until the parts fit or a part would be smaller than
one segment. Only then does it fail, naming the context it needs."""

import pytest

from reflect.models import Reflection
from reflect.reasoning.server_limits import stated_context_limit
from reflect.reasoning.token_counts import count_tokens
from reflect.reflections.asking import create_reflection
from reflect.reflections.running import run_reflection
from tests.factories import make_document
from tests.stub_openai import error

from .helpers import cited_answer, corpus_text, is_map_request, long_transcript

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "message, limit",
    [
        (
            "request (5210 tokens) exceeds the available context size (4096 tokens), "
            "try increasing it",
            4096,
        ),
        (
            "This model's maximum context length is 8192 tokens. However, you requested "
            "9000 tokens (8000 in the messages, 1000 in the completion).",
            8192,
        ),
        ("Requested tokens (3000) exceed context window of 2048", 2048),
        ("the request exceeds the available context size, try increasing it", None),
    ],
    ids=["llama.cpp", "openai-vllm", "llama-cpp-python", "no-number"],
)
def test_the_limit_a_server_states_is_read_from_its_error(message, limit):
    assert stated_context_limit(message) == limit


def small_server(documents, *, context: int, ratio: float = 1.3):
    """A llama.cpp-like server: refuses a request whose prompt (counted by a tokenizer that
    finds `ratio` times as many tokens as o200k) plus its output limit exceeds `context`."""
    answer = cited_answer(documents)

    def reply(request):
        body = request.body
        text = "".join(
            m["content"] if isinstance(m["content"], str) else ""
            for m in body["messages"]
        )
        needed = int(count_tokens(text) * ratio) + body["max_tokens"]
        if needed > context:
            return error(
                400,
                f"request ({needed} tokens) exceeds the available context size "
                f"({context} tokens), try increasing it",
                type_="exceed_context_size_error",
                code=400,
            )
        return answer(request)

    return reply


def ask(owner, documents):
    reflection = create_reflection(
        owner=owner,
        preset="blind_spots",
        document_ids=[d.pk for d in documents],
        enqueue=False,
    )
    return run_reflection(reflection_id=reflection.pk, final_attempt=False)


@pytest.fixture
def llamacpp(stub_openai, settings):
    settings.REFLECT_BACKEND_PROFILE = "llamacpp"
    settings.REFLECT_OUTPUT_RESERVE_TOKENS = 512
    return stub_openai


def test_a_6000_character_corpus_fits_a_2048_token_server_by_replanning_more_than_once(
    llamacpp, owner
):
    text = long_transcript("the review", 60)[:6000]
    document = make_document(owner, title="Review", text=text)
    llamacpp.default = small_server([document], context=2048)

    finished = ask(owner, [document])

    assert finished.status == Reflection.Status.SUCCEEDED, finished.error
    assert finished.manifest["replans"] >= 2
    # The first re-plan used the limit the server stated, not a guess.
    assert finished.manifest["context_tokens"] == 2048
    maps = [body for body in llamacpp.bodies if is_map_request(body)]
    answered = maps[-len(finished.manifest["plan"]) :]
    sent = "".join(corpus_text(body) for body in answered)
    for line in text.splitlines():
        assert line in sent
    assert all(f["supported"] for f in finished.result["findings"])


@pytest.mark.parametrize(
    "context, why",
    [
        (1800, "too small even for parts of one segment"),
        (1024, "leaves only 0 tokens per call for documents"),
    ],
    ids=["a-line-does-not-fit", "nothing-fits-beside-the-reserve"],
)
def test_a_server_too_small_fails_naming_the_context_needed(
    llamacpp, owner, context, why
):
    # One line of about 700 tokens: no part may be smaller without cutting inside it.
    line = " ".join(f"word{n}" for n in range(350))
    document = make_document(owner, title="Notes", text=f"Ann: {line}\nBen: Agreed.\n")
    llamacpp.default = small_server([document], context=context)

    finished = ask(owner, [document])

    assert finished.status == Reflection.Status.FAILED
    assert finished.error_kind == "context_overflow"
    assert why in finished.error
    needed = int(finished.error.split("context of at least ")[1].split()[0])
    assert needed > context
    assert "REFLECT_OUTPUT_RESERVE_TOKENS" in finished.error
    assert len(llamacpp.requests) <= 3

"""The ask form shows the estimate of what it holds, fresh on every change, and a paid run
starts only from the Start button that showed the estimate for those very inputs."""

import pytest

from reflect.models import Reflection

from ..factories import make_document
from .ask_page import hidden, page, start_button, use_a_priced_model

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def priced(settings):
    use_a_priced_model(settings)


@pytest.fixture
def documents(owner):
    return [
        make_document(owner, title=f"Meeting {n}", text="Alice: we ship in May.\n" * n)
        for n in (20, 200)
    ]


def estimate(client, **inputs) -> str:
    response = client.get(
        "/reflections/new/estimate/", {"question": "What slipped?", **inputs}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_estimate_follows_the_effort(client, documents):
    low = estimate(client, documents=[documents[0].pk], effort="low")
    high = estimate(client, documents=[documents[0].pk], effort="high")

    assert "reasoning 500–4,000 tokens" in low
    assert "reasoning 6,000–24,000 tokens" in high
    assert start_button(low) != start_button(high)


def test_the_estimate_follows_the_documents(client, documents):
    one = estimate(client, documents=[documents[0].pk], effort="low")
    both = estimate(client, documents=[d.pk for d in documents], effort="low")

    assert "one call over 1 document<" in one
    assert "one call over 2 documents<" in both
    assert start_button(one)[0] != start_button(both)[0]


def test_the_fragment_is_only_the_estimate_and_start(client, documents):
    fragment = estimate(client, documents=[documents[0].pk], effort="low")

    assert "<form" not in fragment and "<dl" in fragment
    assert start_button(fragment)[1].startswith("Start — about $")


def test_an_incomplete_form_says_what_the_estimate_needs(client, documents):
    fragment = estimate(client, effort="low")

    assert "Choose a collection or some documents." in fragment
    assert start_button(fragment) is None


def test_the_form_asks_for_a_fresh_estimate_on_every_change(client, owner):
    form = page(client)

    assert 'hx-get="/reflections/new/estimate/"' in form
    assert 'hx-trigger="change, input delay:500ms"' in form
    assert 'hx-params="not csrfmiddlewaretoken,submission"' in form


def ask(client, documents, *, effort, start, submission="t" * 32):
    return client.post(
        "/reflections/new/",
        {
            "documents": [d.pk for d in documents],
            "question": "What slipped?",
            "effort": effort,
            "submission": submission,
            "start": start,
        },
    )


def start_for(client, documents, effort) -> str:
    query = "".join(f"&documents={d.pk}" for d in documents)
    return start_button(
        page(client, f"?question=What+slipped%3F&effort={effort}{query}")
    )[0]


def test_start_with_the_estimate_shown_starts_one_run(
    client, documents, django_capture_on_commit_callbacks
):
    shown = start_for(client, documents, "low")

    with django_capture_on_commit_callbacks(execute=False):
        response = ask(client, documents, effort="low", start=shown)

    assert response.status_code == 302
    assert Reflection.objects.get().effort == "low"


def test_a_post_without_the_estimate_starts_nothing_and_shows_it(client, documents):
    response = ask(client, documents, effort="low", start="1")

    assert Reflection.objects.count() == 0
    html = response.content.decode()
    assert "The estimate changed: check it and press Start again." in html
    assert start_button(html)[0] == start_for(client, documents, "low")


def test_a_start_shown_for_other_inputs_starts_nothing(client, documents):
    shown_for_low = start_for(client, documents, "low")

    response = ask(client, documents, effort="high", start=shown_for_low)

    assert response.status_code == 200 and Reflection.objects.count() == 0
    assert "reasoning" in response.content.decode()


def test_update_estimate_without_javascript_starts_nothing(client, documents):
    response = client.post(
        "/reflections/new/",
        {
            "documents": [documents[0].pk],
            "question": "What slipped?",
            "effort": "low",
            "estimate": "1",
            "submission": hidden(page(client), "submission"),
        },
    )

    assert Reflection.objects.count() == 0
    assert start_button(response.content.decode())[1].startswith("Start — about $")

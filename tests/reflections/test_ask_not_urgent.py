"""The ask form's "Not urgent" option: a labelled checkbox whose estimate is at OpenAI's flex
price (about half) and whose Start begins a not-urgent reflection."""

import re

import pytest

from reflect.models import Reflection

from ..factories import make_document
from .ask_page import page, start_button, use_a_priced_model

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def priced(settings):
    use_a_priced_model(settings)
    settings.REFLECT_BACKEND_PROFILE = "openai"


@pytest.fixture
def document(owner):
    return make_document(owner, title="Meeting", text="Alice: we ship in May.\n" * 400)


def estimate(client, document, **more) -> str:
    inputs = {"question": "What slipped?", "documents": [document.pk], "effort": "low"}
    response = client.get("/reflections/new/estimate/", inputs | more)
    assert response.status_code == 200
    return response.content.decode()


def dollars(label: str) -> list[float]:
    return [float(amount) for amount in re.findall(r"\$([0-9.]+)", label)]


def test_the_form_offers_a_labelled_not_urgent_checkbox(client, owner):
    form = page(client)

    field = re.search(
        r'<input type="checkbox" name="not_urgent"[^>]* id="([^"]+)"', form
    )
    assert field, "no not_urgent checkbox"
    assert re.search(rf'<label for="{field[1]}">Not urgent', form)


def test_not_urgent_is_estimated_at_about_half_and_starts_a_not_urgent_run(
    client, document, django_capture_on_commit_callbacks
):
    standard = estimate(client, document)
    flex = estimate(client, document, not_urgent="on")

    (value, label) = start_button(flex)
    assert [round(a * 2, 3) for a in dollars(label)] == pytest.approx(
        dollars(start_button(standard)[1]), rel=0.05
    )
    assert "flex" in flex
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/reflections/new/",
            {
                "documents": [document.pk],
                "question": "What slipped?",
                "effort": "low",
                "not_urgent": "on",
                "submission": "n" * 32,
                "start": value,
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Reflection.objects.get().not_urgent

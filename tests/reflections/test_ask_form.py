"""The ask form starts one reflection per rendered form, however often it is sent."""

import re

import pytest

from reflect.models import Reflection

from ..factories import make_document

pytestmark = pytest.mark.django_db


def submission_token(client) -> str:
    page = client.get("/reflections/new/").content.decode()
    return re.search(r'name="submission" value="([0-9a-f]{32})"', page).group(1)


def ask(client, document, token, question="Who checks?"):
    return client.post(
        "/reflections/new/",
        {
            "documents": [document.pk],
            "question": question,
            "effort": "low",
            "submission": token,
            "start": "1",
        },
    )


def test_a_double_submit_starts_one_reflection(client, owner):
    document = make_document(owner, text="Alice: I will check.")
    token = submission_token(client)

    first, second = ask(client, document, token), ask(client, document, token)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Reflection.objects.count() == 1


def test_each_rendered_form_starts_its_own_reflection(client, owner):
    document = make_document(owner, text="Alice: I will check.")

    ask(client, document, submission_token(client))
    ask(client, document, submission_token(client))

    assert Reflection.objects.count() == 2


def test_the_form_sends_its_buttons_once_in_the_browser(client, owner):
    page = client.get("/reflections/new/").content.decode()

    assert "data-submit-once" in page and "onclick=" not in page

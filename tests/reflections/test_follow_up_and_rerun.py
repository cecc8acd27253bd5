"""A follow-up or a re-run opens the ask form filled in with its estimate; only Start there
starts it (the old one-click endpoints start nothing)."""

import pytest

from reflect.models import Collection, Reflection

from ..factories import make_document, make_reflection
from .ask_page import (
    checked,
    hidden,
    selected,
    start_button,
    textarea,
    use_a_priced_model,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def priced(settings):
    use_a_priced_model(settings)


def test_the_follow_up_button_opens_the_form_instead_of_starting(client, owner):
    document = make_document(owner)
    parent = make_reflection(owner, documents=[document], collection=None)

    response = client.post(
        f"/reflections/{parent.pk}/follow-up/",
        {"question": "Who owns it?"},
        follow=True,
    )

    assert Reflection.objects.count() == 1
    assert response.redirect_chain[0][0].startswith("/reflections/new/?")
    form = response.content.decode()
    assert hidden(form, "parent") == str(parent.pk)
    assert textarea(form, "question") == "Who owns it?"
    assert start_button(form)[1].startswith("Start — about $")


def test_start_on_the_follow_up_form_asks_of_the_parents_documents(
    client, owner, django_capture_on_commit_callbacks
):
    document = make_document(owner)
    parent = make_reflection(owner, documents=[document], collection=None)
    form = client.get(f"/reflections/new/?parent={parent.pk}&question=Who+owns+it%3F")
    html = form.content.decode()

    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            "/reflections/new/",
            {
                "parent": parent.pk,
                "documents": checked(html, "documents"),
                "question": "Who owns it?",
                "effort": parent.effort,
                "submission": hidden(html, "submission"),
                "start": start_button(html)[0],
            },
        )

    child = owner.reflections.get(parent=parent)
    assert child.question == "Who owns it?"
    assert child.document_ids == [document.pk]


def test_the_rerun_button_opens_the_form_on_the_collections_current_documents(
    client, owner, django_capture_on_commit_callbacks
):
    collection = Collection.objects.create(owner=owner, name="C")
    first = make_document(owner, title="First")
    collection.documents.add(first)
    earlier = make_reflection(
        owner, question="What changed?", collection=collection, documents=[first]
    )
    collection.documents.add(make_document(owner, title="Second"))

    opened = client.post(f"/reflections/{earlier.pk}/rerun/", follow=True)
    html = opened.content.decode()
    assert Reflection.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post(
            "/reflections/new/",
            {
                "collection": selected(html, "collection"),
                "compare": hidden(html, "compare"),
                "question": textarea(html, "question"),
                "effort": earlier.effort,
                "submission": hidden(html, "submission"),
                "start": start_button(html)[0],
            },
        )

    rerun = owner.reflections.exclude(pk=earlier.pk).get()
    assert rerun.question == "What changed?"
    assert sorted(d["title"] for d in rerun.snapshot) == ["First", "Second"]
    assert started["Location"] == f"/reflections/{rerun.pk}/?compare={earlier.pk}"

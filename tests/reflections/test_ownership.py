"""Another person's reflections and notifications do not exist for you: 404 on every URL."""

import pytest

from reflect.models import Notification, Reflection

from ..factories import make_document, make_reflection, make_user, verified_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs():
    other = make_user("other")
    document = make_document(other, text="Zed: the merger closes Friday.")
    earlier = make_reflection(
        other,
        result=verified_result(document, "the merger closes Friday"),
        documents=[document],
    )
    reflection = make_reflection(
        other, status="failed", error="x", documents=[document], parent=earlier
    )
    notification = Notification.objects.create(
        user=other, reflection=reflection, status="failed", message="Secret"
    )
    return reflection, earlier, notification


@pytest.fixture
def stranger(client):
    client.force_login(make_user("stranger"))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/reflections/{r}/",
        "/reflections/{r}/export.md",
        "/reflections/{r}/compare/{e}/",
        "/reflections/{e}/compare/{r}/",
    ],
)
def test_a_stranger_gets_404_on_every_page_and_fragment(stranger, theirs, path):
    reflection, earlier, _ = theirs
    url = path.format(r=reflection.pk, e=earlier.pk)

    assert stranger.get(url).status_code == 404
    assert stranger.get(url, HTTP_HX_REQUEST="true").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/reflections/{r}/cancel/",
        "/reflections/{r}/retry/",
        "/reflections/{r}/delete/",
        "/reflections/{r}/follow-up/",
        "/reflections/{r}/rerun/",
        "/notifications/{n}/read/",
    ],
)
def test_a_stranger_gets_404_on_every_action_and_nothing_changes(
    stranger, theirs, path
):
    reflection, _, notification = theirs

    response = stranger.post(
        path.format(r=reflection.pk, n=notification.pk), {"question": "mine?"}
    )

    assert response.status_code == 404
    reflection.refresh_from_db()
    assert reflection.status == "failed"
    assert Reflection.objects.count() == 2
    assert Notification.objects.get().read_at is None


def test_a_stranger_cannot_ask_of_someone_elses_documents(stranger, theirs):
    reflection, _, _ = theirs

    response = stranger.post(
        "/reflections/new/",
        {
            "documents": reflection.document_ids,
            "preset": "risks",
            "effort": "low",
            "start": "1",
        },
    )

    assert response.status_code == 200
    assert Reflection.objects.count() == 2


def test_lists_and_search_never_show_another_persons_reflections(stranger, theirs):
    assert (
        "No reflections match these filters"
        in stranger.get("/reflections/?q=merger").content.decode()
    )
    assert "Secret" not in stranger.get("/notifications/").content.decode()
    assert 'data-unread="0"' in stranger.get("/notifications/bell/").content.decode()

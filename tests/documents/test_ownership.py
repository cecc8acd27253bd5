"""Another person's documents and collections do not exist for you: 404 everywhere."""

import pytest

from reflect.models import Collection

from ..factories import make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned():
    owner = make_user("owner")
    document = make_document(owner, title="Board minutes", text="Secret: the merger.")
    collection = Collection.objects.create(owner=owner, name="Board")
    collection.documents.add(document)
    return document, collection


@pytest.fixture
def stranger(client):
    client.force_login(make_user("stranger"))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/documents/{d}/",
        "/documents/{d}/original/",
        "/collections/{c}/",
    ],
)
def test_a_stranger_gets_404_on_every_page(stranger, owned, path):
    document, collection = owned

    response = stranger.get(path.format(d=document.pk, c=collection.pk))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/documents/{d}/delete/",
        "/collections/{c}/rename/",
        "/collections/{c}/delete/",
        "/collections/{c}/add/",
        "/collections/{c}/remove/",
    ],
)
def test_a_stranger_gets_404_on_every_action_and_nothing_changes(stranger, owned, path):
    document, collection = owned

    response = stranger.post(
        path.format(d=document.pk, c=collection.pk),
        {"name": "mine", "documents": [document.pk]},
    )

    assert response.status_code == 404
    collection.refresh_from_db()
    assert collection.name == "Board"
    assert list(collection.documents.all()) == [document]


def test_lists_never_show_another_persons_documents_or_collections(stranger, owned):
    assert "Board minutes" not in stranger.get("/").content.decode()
    assert "Board" not in stranger.get("/collections/").content.decode()


def test_the_owner_downloads_the_original_bytes(client, owned):
    document, _ = owned
    client.force_login(document.owner)

    response = client.get(f"/documents/{document.pk}/original/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Secret: the merger."
    assert "attachment" in response["Content-Disposition"]

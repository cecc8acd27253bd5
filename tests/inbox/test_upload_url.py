"""A collection's upload URL: tools POST files with the right secret (no login, no CSRF token)
and get per-file JSON outcomes; a wrong, revoked or missing secret is 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reflect.models import Collection, Document

from ..factories import make_user

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Alice>We ship on Friday.</v>\n"


@pytest.fixture
def tool():
    """A client with no session that enforces CSRF checks, like a webhook sender."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def collection(owner):
    return Collection.objects.create(owner=owner, name="Recordings")


def test_the_owner_creates_the_url_on_the_collection_page(client, collection):
    client.post(f"/collections/{collection.pk}/upload-url/", {"action": "new"})
    collection.refresh_from_db()
    assert len(collection.upload_secret) >= 40

    page = client.get(collection.get_absolute_url()).content.decode()
    assert f"/collections/{collection.pk}/drop/{collection.upload_secret}/" in page


def test_the_right_secret_adds_files_to_the_collection(tool, collection):
    collection.upload_secret = "s3cret-" + "x" * 40
    collection.save()
    url = f"/collections/{collection.pk}/drop/{collection.upload_secret}/"

    response = tool.post(
        url,
        {
            "files": [
                SimpleUploadedFile("standup.vtt", VTT),
                SimpleUploadedFile("setup.exe", b"MZ\x90\x00binary"),
            ]
        },
    )

    assert response.status_code == 200, response.content
    good, bad = response.json()["results"]
    assert good["ok"] and good["outcome"] == "created" and good["status"] == "pending"
    assert not bad["ok"] and bad["error"]
    document = Document.objects.get(pk=good["document_id"])
    assert document.owner == collection.owner
    assert list(collection.documents.all()) == [document]

    again = tool.post(url, {"files": [SimpleUploadedFile("copy.vtt", VTT)]}).json()[
        "results"
    ][0]
    assert again["outcome"] == "duplicate" and again["document_id"] == document.pk
    assert Document.objects.count() == 1


def test_a_file_over_the_limit_is_refused(tool, collection, settings):
    settings.REFLECT_MAX_UPLOAD_BYTES = 10
    collection.upload_secret = "s" * 43
    collection.save()

    response = tool.post(
        f"/collections/{collection.pk}/drop/{'s' * 43}/",
        {"files": [SimpleUploadedFile("standup.vtt", VTT)]},
    )

    [result] = response.json()["results"]
    assert not result["ok"] and "file too large" in result["error"]
    assert not Document.objects.exists()


def test_wrong_revoked_or_missing_secrets_are_404(client, tool, collection):
    files = {"files": [SimpleUploadedFile("standup.vtt", VTT)]}
    assert (
        tool.post(f"/collections/{collection.pk}/drop/anything/", files).status_code
        == 404
    ), "no URL yet"

    client.post(f"/collections/{collection.pk}/upload-url/", {"action": "new"})
    collection.refresh_from_db()
    secret = collection.upload_secret
    assert (
        tool.post(
            f"/collections/{collection.pk}/drop/{secret[:-1]}x/", files
        ).status_code
        == 404
    )
    other = Collection.objects.create(
        owner=make_user("other"), name="Other", upload_secret="o" * 43
    )
    assert (
        tool.post(f"/collections/{other.pk}/drop/{secret}/", files).status_code == 404
    )

    client.post(f"/collections/{collection.pk}/upload-url/", {"action": "revoke"})
    assert (
        tool.post(f"/collections/{collection.pk}/drop/{secret}/", files).status_code
        == 404
    )
    assert not Document.objects.exists()


def test_strangers_cannot_change_the_url(client, collection):
    client.force_login(make_user("stranger"))
    assert (
        client.post(
            f"/collections/{collection.pk}/upload-url/", {"action": "new"}
        ).status_code
        == 404
    )
    collection.refresh_from_db()
    assert collection.upload_secret == ""

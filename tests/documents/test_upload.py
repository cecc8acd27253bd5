"""Uploading files: validation, duplicates, limits and enqueueing extraction after commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reflect.models import Document

from ..factories import make_user

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Bo>Budget review on Monday.</v>\n"
TXT = b"Alice: Who owns the vendor contract?\nBob: I will check.\n"


def upload(client, *files, json=True):
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post("/documents/upload/", {"files": list(files)}, **headers)


@pytest.fixture
def owner_client(client):
    client.force_login(make_user())
    return client


def test_each_file_becomes_a_pending_document_and_extraction_is_queued_after_commit(
    owner_client, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(
            owner_client,
            SimpleUploadedFile("a.vtt", VTT),
            SimpleUploadedFile("b.txt", TXT),
        )
        assert queued_tasks() == [], (
            "nothing may be queued before the transaction commits"
        )

    for callback in callbacks:
        callback()
    results = response.json()["results"]
    assert [r["ok"] for r in results] == [True, True]
    ids = [r["document_id"] for r in results]
    assert list(
        Document.objects.filter(pk__in=ids).values_list("status", flat=True)
    ) == ["pending", "pending"]
    assert queued_tasks() == [
        ("reflect.tasks.extract_document", [ids[0]]),
        ("reflect.tasks.extract_document", [ids[1]]),
    ]


def test_the_same_bytes_twice_show_the_existing_document(
    owner_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = upload(owner_client, SimpleUploadedFile("a.vtt", VTT)).json()[
            "results"
        ][0]
        second = upload(owner_client, SimpleUploadedFile("copy.vtt", VTT)).json()[
            "results"
        ][0]

    assert second["document_id"] == first["document_id"]
    assert second["outcome"] == "duplicate"
    assert Document.objects.count() == 1


def test_another_person_uploading_the_same_bytes_gets_their_own_document(
    client, django_capture_on_commit_callbacks
):
    for name in ("ann", "ben"):
        client.force_login(make_user(name))
        with django_capture_on_commit_callbacks(execute=False):
            upload(client, SimpleUploadedFile("a.vtt", VTT))

    assert Document.objects.count() == 2


def test_a_file_whose_content_does_not_match_its_name_is_refused_alone(
    owner_client, django_capture_on_commit_callbacks
):
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with django_capture_on_commit_callbacks(execute=False):
        results = upload(owner_client, exe, SimpleUploadedFile("b.txt", TXT)).json()[
            "results"
        ]

    assert results[0]["ok"] is False
    assert "not a PDF" in results[0]["error"]
    assert results[1]["ok"] is True
    assert Document.objects.count() == 1


def test_an_empty_file_is_refused_with_a_specific_message(owner_client):
    result = upload(owner_client, SimpleUploadedFile("blank.txt", b"")).json()[
        "results"
    ][0]

    assert result == {
        "name": "blank.txt",
        "outcome": "rejected",
        "ok": False,
        "error": result["error"],
        "document_id": None,
        "status": None,
        "url": None,
    }
    assert "empty file" in result["error"]


def test_a_file_over_the_size_limit_is_refused(owner_client, settings):
    settings.REFLECT_MAX_UPLOAD_BYTES = 100
    result = upload(owner_client, SimpleUploadedFile("big.txt", b"x" * 101)).json()[
        "results"
    ][0]

    assert result["ok"] is False
    assert result["error"].startswith("file too large")
    assert Document.objects.count() == 0


def test_too_many_files_at_once_are_refused(owner_client, settings):
    settings.REFLECT_MAX_FILES_PER_UPLOAD = 2
    files = [SimpleUploadedFile(f"{i}.txt", f"line {i}".encode()) for i in range(3)]

    response = upload(owner_client, *files)

    assert response.status_code == 400
    assert "at most 2" in response.json()["error"]
    assert Document.objects.count() == 0


def test_file_names_with_paths_control_characters_and_html_are_cleaned(
    owner_client, django_capture_on_commit_callbacks
):
    nasty = SimpleUploadedFile("../../etc/<b>x</b>\x07plan.txt", TXT)
    with django_capture_on_commit_callbacks(execute=False):
        result = upload(owner_client, nasty).json()["results"][0]

    document = Document.objects.get(pk=result["document_id"])
    assert "/" not in document.original_name and "\x07" not in document.original_name
    assert ".." not in document.file.name
    page = owner_client.get(f"/documents/{document.pk}/").content.decode()
    assert "<b>x</b>" not in page


def test_a_long_name_is_cut_in_its_stem_and_keeps_its_extension(
    owner_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        result = upload(owner_client, SimpleUploadedFile("x" * 300 + ".txt", TXT))
    result = result.json()["results"][0]

    assert result["ok"], result
    document = Document.objects.get(pk=result["document_id"])
    assert document.original_name == "x" * 196 + ".txt"


def test_every_file_sent_gets_an_outcome_even_one_without_a_usable_name(
    owner_client, django_capture_on_commit_callbacks
):
    # Written by hand: Django's own test helpers refuse to build a part named "..".
    boundary = "reflect-boundary"
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{name}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
            + TXT
            + name.encode()
            + b"\r\n"
            for name in ["a.txt", "..", ".", "b.txt", "/"]
        )
        + f"--{boundary}--\r\n".encode()
    )
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(
            "/documents/upload/",
            body,
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_ACCEPT="application/json",
        )
    results = response.json()["results"]

    assert [r["ok"] for r in results] == [True, False, False, True, False]
    assert all("no usable name" in r["error"] for r in results if not r["ok"])


def test_without_javascript_the_form_redirects_back_with_messages(
    owner_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = upload(
            owner_client, SimpleUploadedFile("blank.txt", b""), json=False
        )

    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    assert "blank.txt: empty file" in page


def test_upload_requires_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())

    response = upload(client, SimpleUploadedFile("b.txt", TXT))

    assert response.status_code == 403
    assert Document.objects.count() == 0


def test_upload_requires_login(client):
    response = upload(client, SimpleUploadedFile("b.txt", TXT))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_the_upload_url_and_the_api_give_one_outcome_shape(
    owner_client, django_capture_on_commit_callbacks
):
    """The same keys for the same file, whichever door it came through."""
    from reflect.api_tokens import create_token
    from reflect.collections import create_collection
    from reflect.inbox import new_upload_secret

    owner = Document._meta.get_field("owner").related_model.objects.get()
    collection = create_collection(owner=owner, name="Drops")
    secret = new_upload_secret(collection=collection)
    token = create_token(user=owner, name="shape").raw
    with django_capture_on_commit_callbacks(execute=False):
        page = upload(owner_client, SimpleUploadedFile("a.txt", TXT))
        drop = Client().post(
            f"/collections/{collection.pk}/drop/{secret}/",
            {"files": [SimpleUploadedFile("b.txt", TXT + b"b")]},
        )
        api = Client().post(
            "/api/documents/",
            {"files": [SimpleUploadedFile("c.txt", TXT + b"c")]},
            headers={"Authorization": f"Bearer {token}"},
        )

    shapes = [set(r.json()["results"][0]) for r in (page, drop, api)]
    assert shapes[0] == shapes[1] == shapes[2]
    assert shapes[0] == {
        "name",
        "outcome",
        "ok",
        "error",
        "document_id",
        "status",
        "url",
    }


def test_without_javascript_a_duplicate_is_reported_on_the_list(owner_client):
    upload(owner_client, SimpleUploadedFile("a.txt", TXT), json=False)

    response = upload(owner_client, SimpleUploadedFile("a.txt", TXT), json=False)

    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    assert "a.txt was already uploaded." in page

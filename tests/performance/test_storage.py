"""Uploads go through Django's storage API only, so web and workers need no shared disk.

With an in-memory storage as the default (nothing on any disk), an upload through the view is
extracted by the service and downloaded again byte for byte; with the S3 variables set, the
settings choose django-storages' S3 backend.
"""

import json
import os
import subprocess
import sys

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from reflect import documents as service
from reflect.models import Document
from tests.workers import REPO

pytestmark = pytest.mark.django_db

TXT = b"Alice: Who owns the vendor contract?\nBob: I will check by Friday.\n"


@pytest.fixture
def memory_storage(settings):
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    return default_storage


def test_upload_extraction_and_download_work_without_a_filesystem_storage(
    client, owner, memory_storage, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/documents/upload/",
            {"files": [SimpleUploadedFile("notes.txt", TXT)]},
            HTTP_ACCEPT="application/json",
        )
    document = Document.objects.get(pk=response.json()["results"][0]["document_id"])
    assert memory_storage.exists(document.file.name)
    assert not any(media_root.rglob("notes*")), "nothing may be written to MEDIA_ROOT"

    service.extract_document(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == "ready"
    assert "vendor contract" in document.text
    download = client.get(f"/documents/{document.pk}/original/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == TXT


def settings_in_subprocess(env: dict) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REFLECT_S3_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "reflect.settings", **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_bucket_uploads_stay_on_the_filesystem():
    storages = settings_in_subprocess({})

    assert (
        storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    )


def test_a_bucket_selects_s3_with_its_endpoint_region_keys_and_signed_private_urls():
    storages = settings_in_subprocess(
        {
            "REFLECT_S3_BUCKET": "reflect-uploads",
            "REFLECT_S3_ENDPOINT_URL": "http://minio:9000",
            "REFLECT_S3_REGION": "eu-west-1",
            "REFLECT_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "REFLECT_S3_SECRET_ACCESS_KEY": "secret-example",
            "REFLECT_S3_CUSTOM_DOMAIN": "files.example.com",
            "REFLECT_S3_QUERYSTRING_AUTH": "false",
        }
    )

    default = storages["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "reflect-uploads"
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["region_name"] == "eu-west-1"
    assert (options["access_key"], options["secret_key"]) == (
        "AKIAEXAMPLE",
        "secret-example",
    )
    assert options["custom_domain"] == "files.example.com"
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False, (
        "two uploads with the same name must both survive"
    )
    assert options["default_acl"] == "private"
    assert storages["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")


def test_the_s3_backend_builds_from_those_settings_without_a_network_call():
    """The options are ones S3Storage accepts (a typo would raise at construction)."""
    from storages.backends.s3 import S3Storage

    storages = settings_in_subprocess(
        {
            "REFLECT_S3_BUCKET": "reflect-uploads",
            "REFLECT_S3_ENDPOINT_URL": "http://127.0.0.1:9",
        }
    )
    storage = S3Storage(**storages["default"]["OPTIONS"])

    assert storage.bucket_name == "reflect-uploads"
    assert storage.file_overwrite is False

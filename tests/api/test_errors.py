"""Every failure answers in one JSON shape, {"error": {"code", "message", "details"}}, with a
message that says what to change."""

import pytest

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_answers_json_404_not_a_login_redirect(api):
    error = assert_error(api.get("/api/documentz/"), 404, "not_found")
    assert "/api/docs" in error["message"]
    assert_error(api.client.get("/api/whatever/"), 404, "not_found")


def test_a_path_without_its_trailing_slash_says_so(api):
    assert (
        "end with a slash"
        in assert_error(api.get("/api/documents"), 404, "not_found")["message"]
    )


def test_a_missing_object_answers_404(api):
    assert (
        assert_error(api.get("/api/reflections/999999/"), 404, "not_found")["message"]
        == "not found"
    )


def test_malformed_json_answers_400(api):
    response = api.client.post(
        "/api/collections/",
        "{not json",
        content_type="application/json",
        headers=api.headers,
    )

    assert_error(response, 400, "bad_request")


def test_a_validation_error_lists_each_field_with_its_location(api):
    error = assert_error(
        api.post("/api/reflections/", {"document_ids": ["x"], "effort": "max"}),
        422,
        "invalid",
    )

    locations = [d["location"] for d in error["details"]]
    assert ["body", "payload", "document_ids", 0] in locations
    assert ["body", "payload", "effort"] in locations
    assert "document_ids" in error["message"] and "effort" in error["message"]


def test_a_body_over_the_request_limit_answers_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    error = assert_error(
        api.post("/api/collections/", {"name": "x" * 150}), 413, "too_large"
    )
    assert "too large" in error["message"]


def test_the_schema_and_docs_are_public_at_stable_urls(client, db):
    schema = client.get("/api/openapi.json")

    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Reflect API"
    assert (
        schema.json()["components"]["securitySchemes"]["TokenAuth"]["scheme"]
        == "bearer"
    )
    assert client.get("/api/docs").status_code == 200

"""The API, fuzzed from its own OpenAPI schema with schemathesis, never answers 500 and every answer
(status, content type, body) conforms to the schema.

Bounded: a fixed number of examples per operation, derandomized (a fixed seed), no deadline, so
the run is repeatable and takes seconds.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from reflect.api import api
from reflect.models import Collection, Notification

from ..factories import make_document, make_reflection, verified_result
from .conftest import api_client_for

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, keeping the test's database connection open between requests
    (as django.test.Client does), so calls see the test's rows."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(api_user, stranger):
    """Real objects at small ids, which hypothesis tries first, so cases reach found objects too."""
    for person in (api_user, stranger):
        document = make_document(
            person,
            title=f"{person.username} notes",
            text="Alice: who owns it? Bob: me.",
        )
        collection = Collection.objects.create(
            owner=person, name=f"{person.username} corpus"
        )
        collection.documents.add(document)
        reflection = make_reflection(
            person,
            documents=[document],
            collection=collection,
            result=verified_result(document, "who owns it?"),
        )
        Notification.objects.create(
            user=person, reflection=reflection, status="succeeded", message="ready"
        )


def test_fuzzing_every_operation_finds_no_server_error_and_no_schema_violation(
    api_user, world, wsgi_app, queued_tasks
):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    headers = {
        "Authorization": f"Bearer {api_client_for(api_user).headers['Authorization'].split()[1]}"
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(
        len(methods) for methods in api.get_openapi_schema()["paths"].values()
    )

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        fuzz()

"""The JSON API: token-authenticated, described by an OpenAPI schema at /api/openapi.json.

django-ninja rather than Django REST framework: the schema comes from type hints and Pydantic
models (Pydantic already comes with the openai SDK), and it is far less machinery for a small
token API. Endpoints call the same services as the HTML views and look objects up through
their owner, so a stranger's id answers 404 exactly as a page does.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from . import collections, documents, errors, notifications, reflections
from .auth import TokenAuth

api = NinjaAPI(
    title="Reflect API",
    version="1",
    description="Upload documents, group them, ask reflections and read their verified findings. "
    "Send `Authorization: Bearer <token>`; create tokens on the settings page (/accounts/settings/tokens/).",
    urls_namespace="api",
    auth=TokenAuth(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)
api.add_router("/documents/", documents.router)
api.add_router("/collections/", collections.router)
api.add_router("/reflections/", reflections.router)
api.add_router("/notifications/", notifications.router)


@login_not_required
def unknown_endpoint(request: HttpRequest, rest: str) -> JsonResponse:
    hint = " (API paths end with a slash)" if not request.path.endswith("/") else ""
    return JsonResponse(
        errors.error_body(
            404, f"no API endpoint at {request.path}{hint}; see /api/docs"
        ),
        status=404,
    )


def _exempt_from_login(patterns: list) -> None:
    # The token, not the session, authenticates API calls; the schema and docs are public.
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _exempt_from_login(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)


def urls() -> tuple[list, str, str]:
    """What `reflect/urls.py` includes under api/: the endpoints, then JSON 404 for anything else."""
    patterns, app_name, namespace = api.urls
    patterns = [*patterns, re_path(r"^(?P<rest>.*)$", unknown_endpoint)]
    _exempt_from_login(patterns)
    return patterns, app_name, namespace

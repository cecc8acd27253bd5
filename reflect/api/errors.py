"""One error shape for the whole API: {"error": {"code", "message", "details"}}.

Every failure a client can cause or meet (bad token, someone else's id, invalid input, a file
too large, the queue down) answers in this shape with a message a person can act on.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from kombu.exceptions import OperationalError as QueueUnavailable
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from ..collections import CollectionNameError
from ..idempotency import KeyReused, KeyTooLong

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    503: "unavailable",
}


class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """Raised by endpoints to answer with a specific status, code and message."""

    def __init__(
        self, status: int, message: str, *, code: str = "", details: Any = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.details = details


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} not found")


def error_body(
    status: int, message: str, *, code: str = "", details: Any = None
) -> dict:
    return {
        "error": {
            "code": code or CODES.get(status, "error"),
            "message": message,
            "details": details,
        }
    }


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every expected failure into the one shape."""

    def respond(
        request: HttpRequest,
        status: int,
        message: str,
        *,
        code: str = "",
        details: Any = None,
        headers: dict | None = None,
    ) -> HttpResponse:
        response = api.create_response(
            request,
            error_body(status, message, code=code, details=details),
            status=status,
        )
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(
            request, exc.status, exc.message, code=exc.code, details=exc.details
        )

    @api.exception_handler(CollectionNameError)
    def collection_name_refused(
        request: HttpRequest, exc: CollectionNameError
    ) -> HttpResponse:
        if exc.taken:
            return respond(request, 409, exc.message, code="name_taken")
        return respond(request, 422, exc.message, details={"field": "name"})

    @api.exception_handler(KeyReused)
    def idempotency_key_reused(request: HttpRequest, exc: KeyReused) -> HttpResponse:
        return respond(request, 409, str(exc), code="idempotency_key_reused")

    @api.exception_handler(KeyTooLong)
    def idempotency_key_too_long(request: HttpRequest, exc: KeyTooLong) -> HttpResponse:
        return respond(request, 422, str(exc))

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            "a valid API token is needed: send `Authorization: Bearer <token>`; "
            "tokens are created and revoked on the settings page",
            headers={"WWW-Authenticate": 'Bearer realm="reflect"'},
        )

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        headers = {"Retry-After": str(int(exc.wait))} if exc.wait else {}
        return respond(
            request,
            429,
            "too many requests: slow down and retry later",
            headers=headers,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not found")

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [
            {
                "location": list(error.get("loc", [])),
                "message": error.get("msg", ""),
                "type": error.get("type", ""),
            }
            for error in exc.errors
        ]
        fields = ", ".join(
            ".".join(str(part) for part in d["location"]) for d in details
        )
        return respond(
            request,
            422,
            f"invalid request: check {fields}" if fields else "invalid request",
            details=details,
        )

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, f"the request is too large: {exc}")

    @api.exception_handler(TooManyFilesSent)
    def too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
        return respond(request, 413, f"too many files in one request: {exc}")

    @api.exception_handler(QueueUnavailable)
    def queue_down(request: HttpRequest, exc: QueueUnavailable) -> HttpResponse:
        return respond(
            request,
            503,
            "the work queue is unavailable; retry in a moment",
            headers={"Retry-After": "30"},
        )

"""Content-Security-Policy: pages run only the app's own scripts and styles.

Model output and document text are already sanitised; the policy is the second wall, so a
mistake in sanitising cannot run a script: no inline script or handler, no other origin.
Django's admin and the API's Swagger page are third-party pages with inline code of their
own, so they keep Django's usual headers without this policy.
"""

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

from .events import stream_origin

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
EXEMPT_PREFIXES = ("/admin/", "/api/docs")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(EXEMPT_PREFIXES):
            response.setdefault("Content-Security-Policy", policy_for(request))
        return response


def policy_for(request: HttpRequest) -> str:
    """POLICY, with the live-events stream's origin in connect-src when it has its own port."""
    try:
        origin = stream_origin(request)
    except DisallowedHost:  # answered 400 already; nothing on it connects anywhere
        return POLICY
    if origin is None:
        return POLICY
    return POLICY.replace("connect-src 'self'", f"connect-src 'self' {origin}")

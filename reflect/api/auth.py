"""Bearer-token authentication: `Authorization: Bearer <token>` → the token's owner.

No session and no CSRF: a browser's cookie never authenticates an API call, so a page on
another site cannot make one on a person's behalf.
"""

from django.http import HttpRequest
from ninja.security import HttpBearer

from ..api_tokens import user_for_token
from ..models import User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(raw=token)
        if user is not None:
            # Views and services read request.user as in the HTML views.
            request.user = user
        return user

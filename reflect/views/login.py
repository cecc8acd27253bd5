"""Log-in with failed attempts limited per username and per address (reflect/login_throttle.py)."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse

from .. import login_throttle


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The page offers sign-up only as REFLECT_SIGNUP allows it.
        return super().get_context_data(signup=settings.REFLECT_SIGNUP, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Checked before the password, so a locked account cannot be probed further.
        username = request.POST.get("username", "")
        wait = login_throttle.locked_for(
            username=username, ip=login_throttle.client_ip(request)
        )
        if wait:
            # An unbound form: validating it would check the password.
            form = self.get_form_class()(request, initial={"username": username})
            context = self.get_context_data(
                form=form, lockout=login_throttle.lockout_message(wait)
            )
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = self.request.POST.get("username", "")
        login_throttle.record_failure(
            username=username, ip=login_throttle.client_ip(self.request)
        )
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        login_throttle.clear(
            username=form.get_user().get_username(),
            ip=login_throttle.client_ip(self.request),
        )
        return super().form_valid(form)


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site's log-in behind the same limits: it would otherwise be a second door."""
    ip = login_throttle.client_ip(request)
    username = request.POST.get("username", "")
    if request.method == "POST":
        wait = login_throttle.locked_for(username=username, ip=ip)
        if wait:
            return HttpResponse(
                login_throttle.lockout_message(wait),
                status=429,
                content_type="text/plain",
            )
    response = admin.site.login(request)
    if request.method == "POST":
        if response.status_code == 302 and request.user.is_authenticated:
            login_throttle.clear(username=username, ip=ip)
        else:
            login_throttle.record_failure(username=username, ip=ip)
    return response

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import deliveries
from ..forms import NotificationSettingsForm, SignupForm
from ..models.users import new_webhook_secret


@login_not_required
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("documents")
    return render(request, "registration/signup.html", {"form": form})


def account_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("account-settings")
    return render(
        request,
        "registration/settings.html",
        {"form": form, "deliveries": deliveries.recent(user=request.user)},
    )


@require_POST
def regenerate_webhook_secret(request: HttpRequest) -> HttpResponse:
    request.user.webhook_secret = new_webhook_secret()
    request.user.save(update_fields=["webhook_secret"])
    messages.success(request, "New webhook secret generated: update your receiver.")
    return redirect("account-settings")

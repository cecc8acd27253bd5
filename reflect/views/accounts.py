from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import deliveries, invitations
from ..forms import NotificationSettingsForm, SignupForm
from ..models import User
from ..models.users import new_webhook_secret


@login_not_required
def signup(request: HttpRequest) -> HttpResponse:
    policy = invitations.policy()
    if policy == invitations.CLOSED:
        return render(request, "registration/signup.html", {"closed": True}, status=403)
    token = request.GET.get("invite", "")
    invited_email = ""
    if policy == invitations.INVITE_ONLY:
        try:
            invited_email = invitations.usable(token=token).email
        except invitations.InvitationRefused as refused:
            return _refused(request, refused)
    form = SignupForm(request.POST or None, invited_email=invited_email)
    if request.method == "POST" and form.is_valid():
        if policy == invitations.INVITE_ONLY:
            try:
                user = invitations.accept(token=token, user=form.save(commit=False))
            except invitations.InvitationRefused as refused:
                return _refused(request, refused)
        else:
            user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("documents")
    return render(request, "registration/signup.html", {"form": form})


def _refused(request: HttpRequest, refused: Exception) -> HttpResponse:
    return render(
        request, "registration/signup.html", {"refused": str(refused)}, status=403
    )


def account_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("account-settings")
    if request.method == "POST":
        values, saved, refused = form.parts_to_keep()
        if values:
            User.objects.filter(pk=request.user.pk).update(**values)
            messages.warning(
                request,
                f"Saved the {' and '.join(saved)}; "
                f"not the {' and '.join(refused)} (see below).",
            )
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

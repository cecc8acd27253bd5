from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import api_tokens as service
from ..models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=service.MAX_NAME_CHARS,
        label="Name",
        widget=forms.TextInput(attrs={"placeholder": "e.g. nightly export script"}),
    )


def token_list(request: HttpRequest) -> HttpResponse:
    """The person's API tokens; creating one shows its raw value on this response only."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = service.create_token(
                user=request.user, name=form.cleaned_data["name"]
            )
        except service.TokenError as error:
            form.add_error("name", str(error))
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "registration/tokens.html",
        {"tokens": tokens, "form": form, "created": created},
    )


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if service.revoke_token(token=token):
        messages.success(request, f"Revoked {token}: it no longer works.")
    return redirect("api-tokens")

"""Password change (logged in) and reset by email (logged out): Django's auth views, with the
reset link built from REFLECT_BASE_URL like every other link Reflect mails."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpResponse
from django.urls import reverse_lazy


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    success_url = reverse_lazy("account-settings")
    success_message = "Password changed."


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form) -> HttpResponse:
        # Read per request, not at import: the address is a setting tests and deployers change.
        self.extra_email_context = {"base_url": settings.REFLECT_BASE_URL}
        return super().form_valid(form)


password_change = PasswordChangeView.as_view()
password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import notifications as service
from ..models import Notification


def notification_list(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(user=request.user).select_related("reflection")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


def bell(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/bell.html", service.bell(request.user))


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    service.mark_read(notification=notification)
    return redirect("notifications")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    service.mark_all_read(user=request.user)
    return redirect("notifications")

"""Notifications: one per finished reflection; list them and mark them read."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from .. import notifications as service
from ..models import Notification
from .responses import answers
from .schemas import Id, NotificationOut, Page

router = Router(tags=["notifications"])


class NotificationFilters(Schema):
    unread: bool = False


class MarkedOut(Schema):
    marked: int


@router.get(
    "/", response=answers({200: list[NotificationOut]}), url_name="notifications"
)
@paginate(Page)
def list_notifications(
    request: HttpRequest, filters: Query[NotificationFilters]
) -> QuerySet[Notification]:
    """Newest first; `unread=true` lists only those not read yet."""
    if filters.unread:
        return service.unread(request.auth)
    return Notification.objects.filter(user=request.auth)


@router.post(
    "/{int:notification_id}/read/",
    response=answers({200: NotificationOut}, 404),
    url_name="notification-read",
)
def mark_read(request: HttpRequest, notification_id: Id) -> Notification:
    notification = get_object_or_404(
        Notification, pk=notification_id, user=request.auth
    )
    service.mark_read(notification=notification)
    return notification


@router.post("/read-all/", response=answers({200: MarkedOut}))
def mark_all_read(request: HttpRequest) -> dict:
    return {"marked": service.mark_all_read(user=request.auth)}

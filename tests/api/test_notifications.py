"""Notifications through the API: listed newest first, filtered to unread, marked read."""

import pytest

from reflect.models import Notification

from ..factories import make_reflection

pytestmark = pytest.mark.django_db


def notify(user, question: str, *, read: bool = False) -> Notification:
    from django.utils import timezone

    reflection = make_reflection(user, question=question)
    return Notification.objects.create(
        user=user,
        reflection=reflection,
        status="succeeded",
        message=f"Reflection ready: {question}",
        read_at=timezone.now() if read else None,
    )


def test_notifications_list_newest_first_and_filter_to_unread(api, api_user):
    old = notify(api_user, "first", read=True)
    new = notify(api_user, "second")

    everything = api.get("/api/notifications/").json()
    unread = api.get("/api/notifications/", unread="true").json()

    assert [n["id"] for n in everything["items"]] == [new.pk, old.pk]
    assert [n["id"] for n in unread["items"]] == [new.pk]
    assert (
        unread["items"][0]["reflection_url"] == f"/api/reflections/{new.reflection_id}/"
    )


def test_marking_one_or_all_read(api, api_user):
    first, second, third = (notify(api_user, q) for q in ("a", "b", "c"))

    marked = api.post(f"/api/notifications/{first.pk}/read/").json()
    assert marked["read_at"] is not None
    assert api.post("/api/notifications/read-all/").json() == {"marked": 2}
    assert not Notification.objects.filter(read_at__isnull=True).exists()

from . import dispatch
from .notifications import unread


def unread_notifications(request):
    """The unread count for the bell on every page (one query, only when logged in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": unread(user).count()}


def queue_status(request):
    """Whether the queue (Redis) can be reached, so every page can say work waits safely."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"queue_unavailable": dispatch.queue_state() == dispatch.UNAVAILABLE}

from . import dispatch
from .notifications import bell


def unread_notifications(request):
    """The bell on every page: unread count and latest (two queries, only when logged in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return bell(user)


def queue_status(request):
    """Whether the queue (Redis) can be reached, so every page can say work waits safely."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"queue_unavailable": dispatch.queue_state() == dispatch.UNAVAILABLE}

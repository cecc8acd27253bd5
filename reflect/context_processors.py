def unread_notifications(request):
    """The unread count for the bell on every page (one query, only when logged in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .notifications import unread

    return {"unread_count": unread(user).count()}


def queue_status(request):
    """Whether the queue (Redis) can be reached, so every page can say work waits safely."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .queue_status import UNAVAILABLE, queue_state

    return {"queue_unavailable": queue_state() == UNAVAILABLE}

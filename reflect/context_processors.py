def unread_notifications(request):
    """The unread count for the bell on every page (one query, only when logged in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .notifications import unread

    return {"unread_count": unread(user).count()}

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Collection, Document, User

admin.site.register(User, UserAdmin)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "kind", "status", "size", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "original_name", "sha256"]
    exclude = ["text", "segments"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["documents"]


from .models import Notification, Reflection, ReflectionPart  # noqa: E402


class ReflectionPartInline(admin.TabularInline):
    model = ReflectionPart
    extra = 0
    fields = ["index", "model", "usage", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "question",
        "owner",
        "provider",
        "model",
        "status",
        "cost_usd",
        "created_at",
    ]
    list_filter = ["status", "provider", "effort", "error_kind"]
    search_fields = ["question", "error"]
    raw_id_fields = ["owner", "collection", "parent"]
    readonly_fields = [
        "usage",
        "cost_usd",
        "attempts",
        "claimed_by",
        "claimed_at",
        "heartbeat_at",
        "started_at",
        "finished_at",
        "snapshot",
        "manifest",
        "estimate",
    ]
    inlines = [ReflectionPartInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["message", "user", "status", "created_at", "read_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "reflection"]


from .models import Schedule  # noqa: E402


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "question",
        "owner",
        "collection",
        "cadence",
        "scope",
        "enabled",
        "next_run_at",
        "last_outcome",
    ]
    list_filter = ["enabled", "cadence", "scope"]
    search_fields = ["question"]
    raw_id_fields = ["owner", "collection"]
    readonly_fields = ["last_run_at", "last_outcome"]

    def save_model(self, request, obj, form, change):
        from .schedules import save_schedule

        # The next run follows the cadence as edited here, as on the schedule pages.
        save_schedule(schedule=obj)


from .models import ApiToken  # noqa: E402


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    # The prefix tells tokens apart; the hash is of no use to a person and stays out of the page.
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    exclude = ["key_hash"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        # A token's raw value is shown once, to its owner, on the settings page.
        return False


from .models import Invitation  # noqa: E402


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations for REFLECT_SIGNUP=invite-only: add one with the person's email, then copy
    its link from the list or the invitation's page and send it to them."""

    list_display = ["email", "state", "invitation_link", "expires_at", "created_by"]
    list_filter = ["accepted_at"]
    search_fields = ["email"]
    readonly_fields = ["invitation_link", "created_by", "accepted_at", "accepted_by"]

    @admin.display(description="state")
    def state(self, obj: Invitation) -> str:
        return obj.state

    @admin.display(description="invitation link (copy and send it)")
    def invitation_link(self, obj: Invitation) -> str:
        from . import invitations

        if obj.pk is None:
            return "shown once the invitation is saved"
        if obj.state != "open":
            return f"none: the invitation is {obj.state}"
        return invitations.link(obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

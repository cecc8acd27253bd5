from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from .api import urls as api_urls
from .views import (
    accounts,
    collections,
    documents,
    drop,
    events,
    login,
    notifications,
    passwords,
    reflections,
    schedules,
    tokens,
)
from .views.health import healthz

urlpatterns = [
    path("", documents.document_list, name="documents"),
    path("documents/upload/", documents.upload, name="upload"),
    path("documents/status/", documents.document_status, name="document-status"),
    path(
        "documents/collect/",
        documents.add_selected_to_collection,
        name="documents-collect",
    ),
    path(
        "inbox/failures/<int:pk>/retry/",
        documents.inbox_failure_retry,
        name="inbox-failure-retry",
    ),
    path("documents/<int:pk>/", documents.document_detail, name="document"),
    path(
        "documents/<int:pk>/original/",
        documents.document_original,
        name="document-original",
    ),
    path(
        "documents/<int:pk>/delete/", documents.document_delete, name="document-delete"
    ),
    path("collections/", collections.collection_list, name="collections"),
    path("collections/<int:pk>/", collections.collection_detail, name="collection"),
    path(
        "collections/<int:pk>/rename/",
        collections.collection_rename,
        name="collection-rename",
    ),
    path(
        "collections/<int:pk>/delete/",
        collections.collection_delete,
        name="collection-delete",
    ),
    path(
        "collections/<int:pk>/add/", collections.collection_add, name="collection-add"
    ),
    path(
        "collections/<int:pk>/remove/",
        collections.collection_remove,
        name="collection-remove",
    ),
    path(
        "collections/<int:pk>/schedules/new/",
        schedules.schedule_create,
        name="schedule-new",
    ),
    path("schedules/<int:pk>/", schedules.schedule_detail, name="schedule"),
    path("schedules/<int:pk>/edit/", schedules.schedule_edit, name="schedule-edit"),
    path("schedules/<int:pk>/pause/", schedules.schedule_pause, name="schedule-pause"),
    path(
        "schedules/<int:pk>/delete/", schedules.schedule_delete, name="schedule-delete"
    ),
    path("collections/<int:pk>/drop/<str:secret>/", drop.drop, name="collection-drop"),
    path(
        "collections/<int:pk>/upload-url/",
        drop.drop_secret,
        name="collection-drop-secret",
    ),
    path("reflections/", reflections.reflection_list, name="reflections"),
    path("reflections/new/", reflections.ask, name="ask"),
    path("reflections/new/estimate/", reflections.ask_estimate, name="ask-estimate"),
    path("reflections/<int:pk>/", reflections.reflection_detail, name="reflection"),
    path(
        "reflections/<int:pk>/cancel/",
        reflections.reflection_cancel,
        name="reflection-cancel",
    ),
    path(
        "reflections/<int:pk>/retry/",
        reflections.reflection_retry,
        name="reflection-retry",
    ),
    path(
        "reflections/<int:pk>/delete/",
        reflections.reflection_delete,
        name="reflection-delete",
    ),
    path(
        "reflections/<int:pk>/follow-up/",
        reflections.reflection_follow_up,
        name="reflection-follow-up",
    ),
    path(
        "reflections/<int:pk>/rerun/",
        reflections.reflection_rerun,
        name="reflection-rerun",
    ),
    path(
        "reflections/<int:pk>/compare/<int:other>/",
        reflections.reflection_compare,
        name="reflection-compare",
    ),
    path(
        "reflections/<int:pk>/export.md",
        reflections.reflection_export,
        name="reflection-export",
    ),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/bell/", notifications.bell, name="bell"),
    path(
        "notifications/<int:pk>/read/",
        notifications.mark_read,
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        notifications.mark_all_read,
        name="notifications-read-all",
    ),
    path("events/", events.event_stream, name="events"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", login.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/", passwords.password_change, name="password_change"
    ),
    path("accounts/password/reset/", passwords.password_reset, name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        passwords.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        passwords.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        passwords.password_reset_complete,
        name="password_reset_complete",
    ),
    path("accounts/settings/", accounts.account_settings, name="account-settings"),
    path(
        "accounts/settings/webhook-secret/",
        accounts.regenerate_webhook_secret,
        name="webhook-secret",
    ),
    path("accounts/settings/tokens/", tokens.token_list, name="api-tokens"),
    path(
        "accounts/settings/tokens/<int:pk>/revoke/",
        tokens.token_revoke,
        name="api-token-revoke",
    ),
    path("api/", api_urls()),
    path(
        "admin/login/", login.admin_login
    ),  # the admin log-in, throttled like the main one
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts, collections, documents

urlpatterns = [
    path("", documents.document_list, name="documents"),
    path("documents/upload/", documents.upload, name="upload"),
    path("documents/<int:pk>/", documents.document_detail, name="document"),
    path("documents/<int:pk>/original/", documents.document_original, name="document-original"),
    path("documents/<int:pk>/delete/", documents.document_delete, name="document-delete"),
    path("collections/", collections.collection_list, name="collections"),
    path("collections/<int:pk>/", collections.collection_detail, name="collection"),
    path("collections/<int:pk>/rename/", collections.collection_rename, name="collection-rename"),
    path("collections/<int:pk>/delete/", collections.collection_delete, name="collection-delete"),
    path("collections/<int:pk>/add/", collections.collection_add, name="collection-add"),
    path("collections/<int:pk>/remove/", collections.collection_remove, name="collection-remove"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

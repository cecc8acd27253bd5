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

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Office, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "sido", "sigungu"]
    list_filter = ["kind", "sido"]
    search_fields = ["code", "name", "sigungu", "eupmyeondong"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "office", "is_active"]
    list_filter = ["role", "is_active", "office__sido"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Role and office"), {"fields": ["role", "office", "preferred_language"]}),)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Append-only: admins can read the trail, nobody can edit or delete it here."""

    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

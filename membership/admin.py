from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccessLog, AuditEvent, Consent, Membership, Office, User


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: readable in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Append-only: admins can read the trail, nobody can edit or delete it here."""

    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    date_hierarchy = "at"


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "staff", "office", "subject", "action", "what", "reason"]
    list_filter = ["action", "office"]
    search_fields = ["=staff__username", "=subject__username"]
    date_hierarchy = "at"


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["member", "item", "version", "given_at", "channel", "office", "withdrawn_at"]
    list_filter = ["item", "channel", "version"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """The RRN column is not shown: only its mask exists outside the encrypted field."""

    list_display = ["member", "status", "channel", "enrolled_at", "enrolled_office", "home_office", "rrn_masked"]
    list_filter = ["status", "channel"]
    exclude = ["rrn_encrypted"]

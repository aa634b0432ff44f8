from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import AccessLog, AuditEvent, Consent, Membership, NoticeDelivery, Office, User


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


@admin.register(NoticeDelivery)
class NoticeDeliveryAdmin(ReadOnlyAdmin):
    """Deliveries are written by the services only; an admin may send failed ones again."""

    list_display = ["pk", "notice", "channel", "status", "attempts", "send_after", "sent_at", "last_error"]
    list_filter = ["status", "channel"]
    list_select_related = ["notice"]
    show_full_result_count = False  # no COUNT(*) of every delivery ever sent on each page
    search_fields = ["=notice__member__username", "=provider_ref"]
    actions = ["send_again"]

    def has_redrive_permission(self, request) -> bool:
        return request.user.has_perm("membership.change_noticedelivery")

    @admin.action(description=_("Send again"), permissions=["redrive"])
    def send_again(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = services.notice_deliveries_redrive(delivery_ids=selected, acting_user=request.user)
        self.message_user(request, _("%(count)d failed deliveries will be sent again.") % {"count": count},
                          messages.SUCCESS)
        if len(selected) > count:
            self.message_user(request, _("Only failed deliveries are sent again; %(count)d were left as they are.")
                              % {"count": len(selected) - count}, messages.WARNING)

    def get_urls(self):
        figures = self.admin_site.admin_view(self.figures_view)
        return [path("figures/", figures, name="membership_noticedelivery_figures"), *super().get_urls()]

    def figures_view(self, request):
        """Notices by status, channel and day, the last 14 days."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        figures = selectors.notice_delivery_figures(today=timezone.localdate(timezone=selectors.KST))
        status_label = dict(NoticeDelivery.Status.choices)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "figures": figures,
                   "channels": NoticeDelivery.Channel.labels, "per_channel": len(NoticeDelivery.Status),
                   "status_labels": [status_label[status] for _channel, status in figures.columns],
                   "title": _("Notices by status, channel and day")}
        return render(request, "admin/membership/noticedelivery_figures.html", context)

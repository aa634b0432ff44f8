"""Admin for rule editors: benefits with their rules, rules with their conditions, dated parameters.

Published rules are read-only: an editor makes a new draft version, edits it, and publishes it;
publishing runs the benefit's test cases and refuses when one fails.
"""
import json

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from eligibility.engine.evaluate import screen

from . import rescreen, selectors, services
from .forms import PreviewForm
from .models import (
    Benefit,
    Condition,
    Parameter,
    ParameterValue,
    RescreenChunk,
    RescreenRun,
    Rule,
    RuleTestCase,
    Status,
    TaxonomyTag,
)

VERIFICATION_BADGE = {"verified": "✅", "secondary": "🟡", "unverified": "❓", "computed": "🧮"}


def verification_badge(obj) -> str:
    return f"{VERIFICATION_BADGE.get(obj.verification, '')} {obj.get_verification_display()}"


class ConditionInline(admin.TabularInline):
    model = Condition
    extra = 1
    fields = ["position", "fact", "operator", "value", "parameter", "basis", "quantifier", "group", "min_count"]


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["code", "version", "status", "outcome", "valid_from", "valid_to", "legal_reference", "conditions_text"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("conditions")

    @admin.display(description=_("conditions"))
    def conditions_text(self, obj):
        return " AND ".join(str(c) for c in obj.conditions.all())

    def has_add_permission(self, request, obj=None):
        return False


class TestCaseInline(admin.StackedInline):
    model = RuleTestCase
    extra = 0


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ko", "ministry", "verification_display", "online_application", "rules_count"]
    list_filter = ["verification", "online_application", "tags"]
    search_fields = ["code", "name_ko", "name_en", "keywords_ko", "keywords_en"]
    filter_horizontal = ["tags"]
    inlines = [RuleInline, TestCaseInline]
    readonly_fields = ["preview_link"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The portal searches a normalised copy of names and keywords: keep it in step with the edit.
        services.benefit_search_index(benefit=form.instance)

    @admin.display(description=_("verification"), ordering="verification")
    def verification_display(self, obj):
        return verification_badge(obj)

    @admin.display(description=_("rules"), ordering="published_rules")
    def rules_count(self, obj):
        return obj.published_rules

    def get_queryset(self, request):
        # One count per page, not one query per row.
        published = Count("rules", filter=Q(rules__status=Status.PUBLISHED))
        return super().get_queryset(request).annotate(published_rules=published)

    @admin.display(description=_("try the rules"))
    def preview_link(self, obj):
        if not obj.pk:
            return "-"
        url = reverse("admin:eligibility_benefit_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Try this benefit's rules on a sample household"))

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:pk>/preview/", preview, name="eligibility_benefit_preview"), *super().get_urls()]

    def preview_view(self, request, pk: int):
        """Screen a sample household with this benefit's drafts as if published (nothing is saved)."""
        benefit = get_object_or_404(Benefit, pk=pk)
        form = PreviewForm(request.POST or None, benefit=benefit)
        match = None
        if request.method == "POST" and form.is_valid():
            household, as_of = form.cleaned_data["household"], form.cleaned_data["as_of"]
            benefits = selectors.benefits_for_engine(include_drafts_of=benefit)
            screening = screen(household, benefits, selectors.parameters_for_engine(), as_of)
            match = next((m for m in screening.matches if m.benefit_code == benefit.code), None)
        context = {**self.admin_site.each_context(request), "benefit": benefit, "form": form, "match": match,
                   "opts": self.model._meta, "title": _("Try the rules")}
        return render(request, "admin/eligibility/benefit_preview.html", context)


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "benefit", "status", "outcome", "valid_from", "valid_to", "published_at"]
    list_filter = ["status", "outcome", "benefit"]
    search_fields = ["code", "label_ko", "label_en", "legal_reference"]
    inlines = [ConditionInline]
    readonly_fields = ["status", "version", "published_at", "published_by"]
    actions = ["publish", "new_version"]

    def has_change_permission(self, request, obj=None):
        # History stays true: only drafts are edited; a published rule changes by a new version.
        return super().has_change_permission(request, obj) and (obj is None or obj.status == Status.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == Status.DRAFT)

    @admin.action(description=_("Publish the selected drafts (shows what would change, runs the test cases)"))
    def publish(self, request, queryset):
        benefits = {rule.benefit for rule in queryset}
        benefit = next(iter(benefits)) if len(benefits) == 1 else None
        return publish_with_dry_run(self, request, queryset, benefit=benefit, draft_values=False,
                                    publish=lambda: self._publish(request, queryset))

    def _publish(self, request, queryset) -> int:
        published = 0
        for rule in queryset:
            try:
                services.rule_publish(rule=rule, acting_user=request.user)
                self.message_user(request, _("Published %(rule)s.") % {"rule": rule}, messages.SUCCESS)
                published += 1
            except services.PublishRefused as refused:
                text = _("Not published %(rule)s: %(why)s") % {"rule": rule, "why": "; ".join(refused.failures)}
                self.message_user(request, text, messages.ERROR)
        return published

    @admin.action(description=_("Make a new draft version of the selected rules"))
    def new_version(self, request, queryset):
        for rule in queryset:
            draft = services.rule_new_version(rule=rule, acting_user=request.user)
            self.message_user(request, _("Draft %(rule)s created.") % {"rule": draft}, messages.SUCCESS)


class ParameterValueInline(admin.TabularInline):
    model = ParameterValue
    extra = 0
    fields = ["valid_from", "valid_to", "value", "status", "verification", "legal_reference", "source"]


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ["name", "label_ko", "unit", "key_fact", "current_value", "current_verification"]
    search_fields = ["name", "label_ko", "label_en"]
    inlines = [ParameterValueInline]

    def _current(self, obj):
        today = timezone.localdate()
        return next((v for v in obj.values.all() if v.status == Status.PUBLISHED and v.valid_from <= today
                     and (v.valid_to is None or today <= v.valid_to)), None)

    @admin.display(description=_("value today"))
    def current_value(self, obj):
        value = self._current(obj)
        return "-" if value is None else json.dumps(value.value, ensure_ascii=False)[:80]

    @admin.display(description=_("verification"))
    def current_verification(self, obj):
        value = self._current(obj)
        return "-" if value is None else verification_badge(value)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("values")


@admin.register(ParameterValue)
class ParameterValueAdmin(admin.ModelAdmin):
    list_display = ["parameter", "valid_from", "valid_to", "status", "verification_display", "legal_reference"]
    list_filter = ["verification", "status", "parameter"]
    search_fields = ["parameter__name", "legal_reference", "source"]

    @admin.display(description=_("verification"), ordering="verification")
    def verification_display(self, obj):
        return verification_badge(obj)


@admin.register(TaxonomyTag)
class TaxonomyTagAdmin(admin.ModelAdmin):
    list_display = ["kind", "code", "label_ko", "label_en"]
    list_filter = ["kind"]




# ---- National re-screening: runs with their progress; publishing shows a dry run first -------------

class RescreenChunkInline(admin.TabularInline):
    model = RescreenChunk
    extra = 0
    fields = ["lo_member_id", "hi_member_id", "status", "attempts", "members", "results_written", "notices_created",
              "claimed_at", "finished_at", "error"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RescreenRun)
class RescreenRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "trigger", "as_of", "status", "progress", "members_screened", "results_written",
                    "notices_created", "started_at", "finished_at"]
    list_filter = ["trigger", "status"]
    readonly_fields = [f.name for f in RescreenRun._meta.fields]
    inlines = [RescreenChunkInline]

    @admin.display(description=_("chunks done"))
    def progress(self, obj):
        return f"{obj.chunks_done}/{obj.chunks_total}" + (f" ({obj.chunks_failed} failed)" if obj.chunks_failed else "")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def publish_with_dry_run(model_admin, request, queryset, *, benefit, draft_values: bool, publish):
    """First a page with what publishing would change (+N / -M by region and life stage); on
    confirmation publish, then re-screen every member (the run's chunks are enqueued on commit)."""
    if request.POST.get("confirm") != "yes":
        dry = rescreen.rescreen_dry_run(as_of=timezone.localdate(), benefit=benefit, include_draft_values=draft_values)
        context = {**model_admin.admin_site.each_context(request), "dry": dry, "objects": queryset,
                   "action": request.POST["action"], "opts": model_admin.model._meta,
                   "title": _("What publishing would change")}
        return render(request, "admin/eligibility/rescreen_dry_run.html", context)
    if publish():
        rescreen.rescreen_run_start(trigger=RescreenRun.Trigger.PUBLISH, as_of=timezone.localdate(),
                                    acting_user=request.user)
        model_admin.message_user(request, _("Re-screening of every member started."), messages.SUCCESS)
    return None


@admin.action(description=_("Publish the selected parameter values (dry run first)"))
def parameter_values_publish(model_admin, request, queryset):
    def publish() -> int:
        count = 0
        for value in queryset.filter(status=Status.DRAFT):
            services.parameter_value_publish(value=value, acting_user=request.user)
            count += 1
        model_admin.message_user(request, _("Published %(n)d values.") % {"n": count}, messages.SUCCESS)
        return count

    return publish_with_dry_run(model_admin, request, queryset, benefit=None, draft_values=True, publish=publish)


ParameterValueAdmin.actions = [parameter_values_publish]

"""A member's overview (services with reasons and amounts, inbox, what changed) and the household
form that re-screens on save. Routed under /membership/members/<id>/ by config/urls.py (namespace
`members`): the pages belong to the membership, but they need the engine, and membership may not
import eligibility."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from eligibility.engine.household import HouseholdFormatError, parse_household
from eligibility.engine.regions import ALIASES, SIDO
from membership import selectors as member_selectors
from membership.access import member_for_request
from membership.models import Household, HouseholdMember, Tenure

from .member_screening import member_household_change, member_results
from .models import Benefit, ScreeningDraft
from .screening import household_doc

ASSETS = ("housing", "general", "financial", "car_value", "car_cc", "debt")
INCOMES = ("earned", "business", "property", "public_transfer", "private_transfer")
won = {"min_value": 0, "max_value": 10**12, "initial": 0}


class HouseholdForm(forms.Form):
    sido = forms.ChoiceField(label=gettext_lazy("Province or city"),
                             choices=[(s, s) for s in SIDO if s not in ALIASES])
    sigungu = forms.CharField(label=gettext_lazy("District"), max_length=30, required=False)
    tenure = forms.ChoiceField(label=gettext_lazy("Housing"), choices=Tenure.choices)
    monthly_rent = forms.IntegerField(label=gettext_lazy("Monthly rent (won)"), **won)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in ASSETS:
            self.fields[f"asset_{key}"] = forms.IntegerField(label=Household._meta.get_field(f"asset_{key}").verbose_name, **won)
        for key in ("nbls_recipient", "near_poor", "single_parent", "crisis_event", "job_seeker"):
            self.fields[key] = forms.BooleanField(label=Household._meta.get_field(key).verbose_name, required=False)


class MemberForm(forms.Form):
    relation = forms.ChoiceField(label=gettext_lazy("Relation"), choices=[("", "—"), *HouseholdMember.Relation.choices])
    birth_date = forms.DateField(label=gettext_lazy("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))
    disability = forms.ChoiceField(label=gettext_lazy("Disability"), choices=HouseholdMember.Disability.choices,
                                   initial="none")
    school = forms.ChoiceField(label=gettext_lazy("School"), choices=HouseholdMember.School.choices, initial="none")
    pregnant = forms.BooleanField(label=gettext_lazy("Pregnant"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in INCOMES:
            self.fields[f"income_{key}"] = forms.IntegerField(
                label=HouseholdMember._meta.get_field(f"income_{key}").verbose_name, **won)


PERIODS = {"month": gettext_lazy("a month"), "year": gettext_lazy("a year"), "once": gettext_lazy("once")}
SECTIONS = {"region": gettext_lazy("Where you live"), "housing": gettext_lazy("Housing"),
            "assets": gettext_lazy("Assets"), "status": gettext_lazy("Situation"),
            "members": gettext_lazy("Household members"), "income": gettext_lazy("Income")}


def change_labels(paths: list[str]) -> list[str]:
    """'What changed': household-format paths as section names, each once, in the order met."""
    labels = []
    for p in paths:
        key = "income" if ".income." in p else p.split(".")[0].split("[")[0]
        label = str(SECTIONS.get(key, key))
        if label not in labels:
            labels.append(label)
    return labels


MemberFormSet = forms.formset_factory(MemberForm, extra=1, can_delete=True, max_num=12, validate_max=True)


def household_document_from(form: HouseholdForm, formset) -> dict:
    """The household-format document the two forms describe."""
    d = form.cleaned_data
    members = [
        {"relation": m["relation"], "birth_date": m["birth_date"].isoformat(), "disability": m["disability"],
         "school": m["school"], "pregnant": m["pregnant"], "income": {k: m[f"income_{k}"] for k in INCOMES}}
        for m in formset.cleaned_data if m and not m.get("DELETE")
    ]
    status = {k: d[k] for k in ("nbls_recipient", "near_poor", "single_parent")}
    status.update({k: True for k in ("crisis_event", "job_seeker") if d[k]})
    return {
        "region": {"sido": d["sido"], "sigungu": d["sigungu"]},
        "housing": {"tenure": d["tenure"], "monthly_rent": d["monthly_rent"]},
        "members": members, "assets": {k: d[f"asset_{k}"] for k in ASSETS}, "status": status,
    }


def _initial(document: dict) -> tuple[dict, list[dict]]:
    head = {"sido": document["region"]["sido"], "sigungu": document["region"].get("sigungu", ""),
            "tenure": document["housing"]["tenure"], "monthly_rent": document["housing"].get("monthly_rent", 0)}
    head.update({f"asset_{k}": document.get("assets", {}).get(k, 0) for k in ASSETS})
    head.update({k: bool(document["status"].get(k)) for k in
                 ("nbls_recipient", "near_poor", "single_parent", "crisis_event", "job_seeker")})
    members = [{**{k: m.get(k) for k in ("relation", "birth_date", "disability", "school", "pregnant")},
                **{f"income_{k}": m.get("income", {}).get(k, 0) for k in INCOMES}} for m in document["members"]]
    return head, members


def _draft_document(code: str) -> dict | None:
    """An anonymous screening's answers, brought in by its short code (the counter's way to resume it),
    as the household the screening itself screened: questions it did not ask filled as it fills them."""
    draft = ScreeningDraft.objects.filter(code=code.strip().upper(), expires_at__gt=timezone.now()).first()
    if draft is None:
        return None
    try:
        document = household_doc(draft.answers, timezone.localdate())
        parse_household(document)
    except (HouseholdFormatError, KeyError, TypeError, ValueError):
        return None  # answers not yet complete enough to be a household
    return document


@login_required
def member_overview_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """My page: services eligible or likely with reasons and amounts, the inbox, what changed."""
    member = member_for_request(request, member_id, what="overview")
    results = member_results(member=member)
    names = {b.code: b for b in Benefit.objects.filter(code__in=[r.benefit_code for r in results])}
    for r in results:
        benefit = names.get(r.benefit_code)
        r.name = (benefit.name_ko if get_language() == "ko" else benefit.name_en) if benefit else r.benefit_code
        r.period_label = PERIODS.get(r.amount_period, r.amount_period)
    notices = list(member_selectors.notices_for(member=member)[:5])
    return render(request, "eligibility/member_overview.html", {
        "member": member, "membership": member_selectors.membership_get(member=member),
        "positive": [r for r in results if r.outcome in ("eligible", "likely")],
        "others": [r for r in results if r.outcome == "needs_info"],
        "declared_only": not member_selectors.has_income_asset_consent(member=member),
        "household": member_selectors.household_get(member=member), "notices": notices,
        "unread": member_selectors.notices_for(member=member).filter(read_at__isnull=True).count(),
        "changes": change_labels(member_selectors.household_changes_latest(member=member)),
    })


@login_required
def member_household_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """Keep the household current; saving re-screens it and tells the member what they can now get."""
    member = member_for_request(request, member_id, what="household")
    household = member_selectors.household_get(member=member)
    head, rows = _initial(member_selectors.household_document(household=household)) if household else ({}, [])
    code = request.GET.get("draft", "")[:8]
    if code and (doc := _draft_document(code)):
        head, rows = _initial(doc)
    form = HouseholdForm(request.POST or None, initial=head)
    formset = MemberFormSet(request.POST or None, initial=rows or [{"relation": "self"}], prefix="m")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        document = household_document_from(form, formset)
        try:
            parse_household(document)
        except HouseholdFormatError as error:
            form.add_error(None, error.message)
        else:
            notices = member_household_change(member=member, document=document, acting_user=request.user)
            messages.success(request, _("Household saved and screened again."))
            if notices:
                messages.info(request, _("New in your inbox: %(count)d benefit(s) you can now get.") % {"count": len(notices)})
            return redirect("members:member_overview", member_id=member.pk)
    return render(request, "eligibility/member_household.html",
                  {"member": member, "form": form, "formset": formset, "draft_code": code})


app_name = "members"
urlpatterns = [
    path("<int:member_id>/", member_overview_view, name="member_overview"),
    path("<int:member_id>/household/", member_household_view, name="member_household"),
]

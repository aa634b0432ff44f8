"""Membership pages: sign-up, joining with consent, consents, inbox, preferences, who looked, leaving,
and the staff pages (counter, walk-in enrolment, RRN, the access-log review)."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .access import client_ip, member_for_request, staff_required, supervisor_required
from .consents import CONSENT_TEXTS
from .forms import (
    AccessLogFilterForm,
    ConsentForm,
    CounterForm,
    LeaveForm,
    PreferenceForm,
    RrnForm,
    SignupForm,
    WalkInEnrolForm,
)
from .models import Consent, NoticePreference


def _next_url(request: HttpRequest) -> str:
    """The page to continue to after signing up or joining (`next`), when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                              require_https=request.is_secure())
    return target if allowed else ""


def signup_view(request: HttpRequest) -> HttpResponse:
    """Create a citizen account (no resident registration number) and sign in."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.citizen_signup(**form.cleaned_data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your account is ready. Join the membership to be told what you can get."))
        target = _next_url(request)
        return redirect(reverse("membership:join") + (f"?{urlencode({'next': target})}" if target else ""))
    return render(request, "membership/signup.html", {"form": form, "next": _next_url(request)})


@login_required
def my_page_view(request: HttpRequest) -> HttpResponse:
    """Members go to their record; staff to their desk; a citizen who has not joined to the join page."""
    if request.user.is_staff_member:
        return render(request, "membership/staff_desk.html")
    membership = selectors.membership_get(member=request.user)
    if membership is None or not membership.is_active:
        return redirect("membership:join")
    return redirect("members:member_overview", member_id=request.user.pk)


@login_required
def join_view(request: HttpRequest) -> HttpResponse:
    """A citizen joins online: each consent item shown in full and given on its own."""
    membership = selectors.membership_get(member=request.user)
    if request.user.is_staff_member or (membership and membership.is_active):
        return redirect(_next_url(request) or "membership:my_page")
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.membership_enroll(member=request.user, items=form.items(), acting_user=request.user)
        if target := _next_url(request):
            messages.success(request, _("Welcome to the membership."))
            return redirect(target)
        messages.success(request, _("Welcome to the membership. Now tell us about your household."))
        return redirect("members:member_household", member_id=request.user.pk)
    return render(request, "membership/join.html", {"form": form, "next": _next_url(request)})


@login_required
def consent_list_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """Each consent item: given or not, when, how, which version; give or withdraw it on its own."""
    member = member_for_request(request, member_id, what="consents")
    live = selectors.consents_live(member=member)
    items = [{"text": t, "consent": live.get(item), "label": item, "title": Consent.Item(item).label}
             for item, t in CONSENT_TEXTS.items()]
    return render(request, "membership/consent_list.html", {
        "member": member, "items": items, "history": selectors.consent_history(member=member)[:50],
    })


@login_required
@require_POST
def consent_change_view(request: HttpRequest, member_id: int, item: str, action: str) -> HttpResponse:
    member = member_for_request(request, member_id, what=f"consent:{item}")
    if item not in CONSENT_TEXTS or action not in ("give", "withdraw") or (item, action) == ("terms", "withdraw"):
        raise Http404  # the terms end only by leaving the membership
    if action == "withdraw":
        services.consent_withdraw(member=member, item=item, acting_user=request.user)
        messages.success(request, _("Consent withdrawn."))
    else:
        evidence = request.POST.get("evidence", "")[:200]
        if request.user.pk != member.pk and not evidence.strip():
            messages.error(request, _("Record the consent evidence first."))
            return redirect("membership:consent_list", member_id=member.pk)
        services.consent_give(member=member, item=item, acting_user=request.user, evidence=evidence,
                              office=request.user.office)
        messages.success(request, _("Consent given."))
    return redirect("membership:consent_list", member_id=member.pk)


@login_required
def notice_list_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """The inbox: unread first."""
    member = member_for_request(request, member_id, what="notices")
    notices = list(selectors.notices_for(member=member)[:100])
    return render(request, "membership/notice_list.html", {"member": member, "notices": notices})


@login_required
@require_POST
def notice_read_view(request: HttpRequest, member_id: int, notice_id: int) -> HttpResponse:
    member = member_for_request(request, member_id, what="notices")
    notice = selectors.notice_get(member=member, notice_id=notice_id)
    if notice is None:
        raise Http404
    if member.pk == request.user.pk:  # staff reading it does not mean the member has
        services.notice_mark_read(notice=notice, acting_user=request.user)
    return redirect("membership:notice_list", member_id=member.pk)


@login_required
def preference_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = member_for_request(request, member_id, what="notice preferences")
    pref = NoticePreference.objects.filter(member=member).first() or NoticePreference(member=member)  # no write on GET
    initial = {"phone": pref.phone, "language": pref.language, "quiet_start": pref.quiet_start,
               "quiet_end": pref.quiet_end}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notice_preference_update(member=member, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("Notice preferences saved."))
        return redirect("membership:preference", member_id=member.pk)
    channels = selectors.notice_channels(member=member)
    return render(request, "membership/preference.html", {"member": member, "form": form, "channels": channels})


@login_required
def access_log_mine_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """'Who looked at my record': only the member sees this page of their own record."""
    if request.user.pk != member_id:
        raise Http404
    member = member_for_request(request, member_id, what="access log")
    rows = list(selectors.access_log_for_subject(member=member)[:200])
    return render(request, "membership/access_log_mine.html", {"member": member, "rows": rows})


@login_required
def leave_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """Leave the membership after a confirmation."""
    member = member_for_request(request, member_id, what="membership")
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.membership_leave(member=member, acting_user=request.user)
        messages.success(request, _("The membership has ended. Notices have stopped and your data is deleted."))
        return redirect("home" if member.pk == request.user.pk else "membership:my_page")
    return render(request, "membership/leave.html", {"member": member, "form": form})


@login_required
def rrn_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """Staff record the resident registration number they checked on an identity card."""
    if request.user.pk == member_id:
        raise PermissionDenied  # staff record an RRN they checked, never the member
    member = member_for_request(request, member_id, what="resident registration number")
    form = RrnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.member_rrn_set(member=member, rrn=form.cleaned_data["rrn"], acting_user=request.user)
        messages.success(request, _("Resident registration number recorded."))
        return redirect("members:member_overview", member_id=member.pk)
    membership = selectors.membership_get(member=member)
    return render(request, "membership/rrn.html", {"member": member, "form": form, "membership": membership})


@login_required
def counter_view(request: HttpRequest) -> HttpResponse:
    """Staff open a member of another office they serve at the counter, after recording why."""
    staff_required(request.user)
    form = CounterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = selectors.member_find_exact(key=form.cleaned_data["key"])
        if member is None:
            form.add_error("key", _("No member with exactly this user name or e-mail."))
        else:
            services.counter_service_begin(staff=request.user, member=member, reason=form.cleaned_data["reason"],
                                           ip_address=client_ip(request))
            return redirect("members:member_overview", member_id=member.pk)
    return render(request, "membership/counter.html", {"form": form})


@login_required
def walkin_enroll_view(request: HttpRequest) -> HttpResponse:
    """A caseworker at any office enrols a walk-in, whatever their registered address."""
    staff_required(request.user)
    form = WalkInEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = services.walkin_enroll(
            full_name=data["full_name"], email=data["email"], phone=data["phone"], items=form.items(),
            evidence=data["evidence"], acting_user=request.user,
        )
        messages.success(request, _("Enrolled. Now record the household."))
        return redirect("members:member_household", member_id=membership.member_id)
    return render(request, "membership/walkin_enroll.html", {"form": form})


@login_required
def access_log_review_view(request: HttpRequest) -> HttpResponse:
    """The supervisor's review of the staff access log by period, staff member and subject."""
    supervisor_required(request.user)
    form = AccessLogFilterForm(request.GET or None)
    rows = []
    if form.is_valid():
        rows = list(selectors.access_log_search(**form.cleaned_data)[:500])
    return render(request, "membership/access_log_review.html", {"form": form, "rows": rows})


@login_required
@require_POST
def session_extend_view(request: HttpRequest) -> JsonResponse:
    """Keep-alive: the request itself renews the session (SESSION_SAVE_EVERY_REQUEST)."""
    request.session["extended"] = request.session.get("extended", 0) + 1
    return JsonResponse({"expires_in": request.session.get_expiry_age()})




@login_required
def office_member_list_view(request: HttpRequest) -> HttpResponse:
    """Members of the staff member's office, names masked; opening one writes the access log."""
    staff_required(request.user)
    members = list(selectors.members_of_office(office=request.user.office)[:200]) if request.user.office else []
    rows = [{"pk": m.pk, "name": selectors.mask_name(m.get_full_name() or m.username)} for m in members]
    return render(request, "membership/office_member_list.html", {"rows": rows})

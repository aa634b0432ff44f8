"""Joining the membership with the answers of a screening: the results page's invitation carries the
draft (its token goes into this browser's session, never into a URL another site could make), the
person signs up or signs in and gives consent, then confirms, and the household record is saved from
the answers instead of being typed again."""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from membership import selectors as member_selectors

from . import screening, services
from .recap import recap
from .screening_views import draft_or_404

SESSION_KEY = "screening_draft_to_import"


@require_POST
def screening_join_view(request: HttpRequest, token: str) -> HttpResponse:
    """Carry a complete draft to the membership: keep its token in this session and send the person to
    sign up (or on, when signed in already)."""
    draft = draft_or_404(token)
    if not screening.is_complete(draft.answers, draft.steps_done, dt.date.today()):
        return redirect("eligibility:screening_review", token=token)
    request.session[SESSION_KEY] = token
    target = reverse("eligibility:screening_import")
    if request.user.is_authenticated:
        return redirect(target)
    return redirect(f"{reverse('membership:signup')}?{urlencode({'next': target})}")


@login_required
@require_http_methods(["GET", "POST"])
def screening_import_view(request: HttpRequest) -> HttpResponse:
    """Show the carried answers and, once confirmed, save them as the member's household."""
    token = request.session.get(SESSION_KEY)
    if request.user.is_staff_member or not token:
        messages.info(request, _("There are no screening answers to bring in."))
        return redirect("membership:my_page")
    membership = member_selectors.membership_get(member=request.user)
    if membership is None or not membership.is_active:
        return redirect(f"{reverse('membership:join')}?{urlencode({'next': request.path})}")
    if request.method == "POST":
        return _import(request, token)
    draft = draft_or_404(token)
    return render(request, "eligibility/screening_import.html", {
        "draft": draft, "sections": recap(draft.answers, draft.steps_done, dt.date.today()),
        "replaces": member_selectors.household_get(member=request.user) is not None,
    })


def _import(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.screening_draft_import(token=token, member=request.user, acting_user=request.user)
    except services.DraftNotImportable:
        messages.error(request, _("These answers can no longer be brought in: the check expired or was used."))
        return redirect("membership:my_page")
    finally:
        request.session.pop(SESSION_KEY, None)
    messages.success(request, _("Your household was saved from your answers and screened. Check it, and "
                                "keep it current."))
    return redirect("members:member_overview", member_id=request.user.pk)

"""Screening a household without an account: the steps, the recap, the results and the printable
summary. Joining the membership with the answers is in eligibility/join_views.py."""
import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eligibility.engine.evaluate import screen
from eligibility.engine.household import HouseholdFormatError, parse_household

from . import page_cache, presenters, screening, selectors, services
from .forms import ResumeForm
from .models import ScreeningDraft
from .published import published
from .recap import recap


def draft_or_404(token: str) -> ScreeningDraft:
    try:
        return selectors.screening_draft_live(token=token)
    except ScreeningDraft.DoesNotExist:
        raise Http404(_("This saved check does not exist or has expired.")) from None


@require_http_methods(["GET", "POST"])
def screening_start_view(request: HttpRequest) -> HttpResponse:
    """Explain the check and start a new draft (POST); resume by code is a separate form."""
    if request.method == "POST":
        draft = services.screening_draft_start()
        return redirect("eligibility:screening_step", token=draft.token, step=screening.STEPS[0])
    return render(request, "eligibility/screening_start.html", {"resume_form": ResumeForm()})


@require_POST
def screening_resume_view(request: HttpRequest) -> HttpResponse:
    """Find a draft by the short code someone reads out at a counter."""
    form = ResumeForm(request.POST)
    if form.is_valid():
        try:
            draft = selectors.screening_draft_by_code(code=form.cleaned_data["code"])
        except ScreeningDraft.DoesNotExist:
            form.add_error("code", _("No saved check has this code. Codes expire 7 days after the last answer."))
        else:
            return redirect("eligibility:screening_review", token=draft.token)
    return render(request, "eligibility/screening_start.html", {"resume_form": form}, status=400)


@require_http_methods(["GET", "POST"])
def screening_step_view(request: HttpRequest, token: str, step: str) -> HttpResponse:
    """One topic of the questionnaire, asking only what earlier answers leave open; answers are saved
    as soon as the step is valid. A step with nothing to ask, or one ahead of an unanswered one,
    sends on to the first step that still needs an answer."""
    draft, today = draft_or_404(token), dt.date.today()
    if step not in screening.STEPS:
        raise Http404
    asked = screening.steps(draft.answers, today)
    missing = screening.first_unanswered(draft.answers, draft.steps_done, today)
    if step not in asked or (missing is not None and asked.index(step) > asked.index(missing)):
        return redirect(_after(draft, today))
    form = screening.bind(step, draft.answers, request.POST if request.method == "POST" else None, today)
    if request.method == "POST" and form.is_valid():
        answers = screening.answers_from(step, form, draft.answers, today)
        draft = services.screening_draft_save_step(draft=draft, step=step, answers=answers)
        return redirect(_after(draft, today))
    return render(request, "eligibility/screening_step.html", _step_context(draft, step, form, today))


def _after(draft: ScreeningDraft, today: dt.date) -> str:
    """The first step that still needs an answer (a changed answer may open a question), else the recap."""
    missing = screening.first_unanswered(draft.answers, draft.steps_done, today)
    if missing is None:
        return reverse("eligibility:screening_review", kwargs={"token": draft.token})
    return reverse("eligibility:screening_step", kwargs={"token": draft.token, "step": missing})


def _step_context(draft: ScreeningDraft, step: str, form, today: dt.date) -> dict:
    asked = screening.steps(draft.answers, today)
    return {"draft": draft, "step": step, "title": screening.TITLES[step], "form": form,
            "number": asked.index(step) + 1, "total": len(asked),
            "progress": screening.progress(step, draft.answers, draft.steps_done, today),
            "is_formset": screening.is_formset(step),
            "complete": screening.is_complete(draft.answers, draft.steps_done, today), "errors": _error_list(form)}


def _error_list(form) -> list[tuple[str, str]]:
    """Every message of a step as (field id, 'label: message'), for the summary above the form."""
    forms = getattr(form, "forms", [form])
    found = [("", str(e)) for e in getattr(form, "non_form_errors", list)()]
    for sub in forms:
        found += [("", str(e)) for e in sub.non_field_errors()]
        found += [(sub[name].id_for_label or f"{sub[name].auto_id}_0", f"{sub[name].label}: {' '.join(errors)}")
                  for name, errors in sub.errors.items() if name in sub.fields]
    return found


@transaction.non_atomic_requests  # reads only: no transaction round trips
def screening_review_view(request: HttpRequest, token: str) -> HttpResponse:
    """The recap: every answer with a link to change it; results once all are given."""
    draft, today = draft_or_404(token), dt.date.today()
    missing = screening.first_unanswered(draft.answers, draft.steps_done, today)
    return render(request, "eligibility/screening_review.html", {
        "draft": draft, "sections": recap(draft.answers, draft.steps_done, today),
        "progress": screening.progress("", draft.answers, draft.steps_done, today),
        "complete": missing is None, "missing": missing,
    })


def _lang() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


def _results_context(draft: ScreeningDraft, request: HttpRequest, key: str) -> dict:
    """The results of a complete draft, screened lazily: the template caches the rendered results by
    draft version, catalogue version, date and language, so a repeated view does not screen again."""
    catalogue, today, lang = published(), dt.date.today(), _lang()
    household = parse_household(screening.household_doc(draft.answers, today))  # raises on bad answers

    def outcome() -> presenters.Results:
        found = screen(household, catalogue.benefits, catalogue.parameters, today)
        return presenters.results(found, catalogue.pages, lang)

    return {"draft": draft, "results": SimpleLazyObject(outcome), "today": today, "cache_key": key,
            "show_ineligible": request.GET.get("show") == "ineligible"}


def _results_page(request: HttpRequest, token: str, template: str) -> HttpResponse:
    """Render a page of a complete draft's results; signed-out readers get it from the page cache,
    kept by draft version, catalogue version and date, for the price of one small query."""
    version = selectors.screening_draft_version(token=token)
    if version is None:
        raise Http404(_("This saved check does not exist or has expired."))
    today = dt.date.today()
    key = f"{token}|{version}|{'|'.join(map(str, published().version))}|{today}"
    cacheable = page_cache.cacheable(request)
    if cacheable and (page := page_cache.get(request, key)) is not None:
        return page  # kept only once the draft was complete at this version
    draft = draft_or_404(token)
    if not screening.is_complete(draft.answers, draft.steps_done, today):
        return redirect("eligibility:screening_review", token=token)
    try:
        context = _results_context(draft, request, key)
    except HouseholdFormatError:
        messages.error(request, _("Some answers need checking before we can screen them."))
        return redirect("eligibility:screening_review", token=token)
    if cacheable:
        return page_cache.render(request, key, template, context)
    return render(request, template, context)


@transaction.non_atomic_requests  # reads only: no transaction round trips
def screening_results_view(request: HttpRequest, token: str) -> HttpResponse:
    """What the household can get, grouped by outcome, with reasons, amounts and how to apply."""
    return _results_page(request, token, "eligibility/screening_results.html")


@transaction.non_atomic_requests  # reads only: no transaction round trips
def screening_print_view(request: HttpRequest, token: str) -> HttpResponse:
    """A one-page summary to take to a community center."""
    return _results_page(request, token, "eligibility/screening_print.html")

"""The citizen portal: find benefits, read one, screen a household without an account."""
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
from .forms import RELATION_CHOICES, ResumeForm
from .models import ScreeningDraft, TaxonomyTag
from .published import published
from .taxonomy import TAXONOMY

TAG_KINDS = {kind for kind, *_rest in TAXONOMY}


def _lang() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


@transaction.non_atomic_requests  # reads only: no transaction round trips
def benefit_list_view(request: HttpRequest) -> HttpResponse:
    """The catalogue: search by words (spaces and particles ignored) or browse by a 복지로 tag."""
    query = request.GET.get("q", "")[:100]
    kind, code = request.GET.get("kind", ""), request.GET.get("tag", "")[:3]
    if kind not in TAG_KINDS:
        kind, code = "", ""
    benefits = list(selectors.benefits_find(query=query, tag_kind=kind, tag_code=code))
    tag = next((t for t in TAXONOMY if t[0] == kind and t[1] == code), None)
    return render(request, "eligibility/benefit_list.html",
                  {"benefits": benefits, "query": query, "tag": tag, "taxonomy": _taxonomy()})


def _taxonomy() -> list[tuple[str, str, list[tuple]]]:
    """The 복지로 codes by kind: (kind, kind label, [(kind, code, ko, en), ...])."""
    return [(kind, label, [t for t in TAXONOMY if t[0] == kind]) for kind, label in TaxonomyTag.Kind.choices]


@transaction.non_atomic_requests  # reads only: no transaction round trips
def benefit_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """One benefit: who it is for (from its rules), what you get, how to apply, the legal basis."""
    catalogue, today, lang = published(), dt.date.today(), _lang()
    benefit = catalogue.rows.get(code)  # cached with the catalogue: one query for the whole page
    if benefit is None:
        raise Http404
    engine_benefit = catalogue.by_code.get(code)
    rules, amount = [], None
    if engine_benefit is not None:  # lazy: the template caches what they render by catalogue version
        rules = SimpleLazyObject(lambda: presenters.who_it_is_for(engine_benefit, catalogue.parameters, today, lang))
        amount = SimpleLazyObject(lambda: presenters.fixed_amount(engine_benefit, catalogue.parameters, today))
    verified_on = benefit.verified_on or benefit.updated_at.date()
    cache_key = f"{code}|{'|'.join(map(str, catalogue.version))}|{today}"
    return render(request, "eligibility/benefit_detail.html",
                  {"benefit": benefit, "rules": rules, "amount": amount, "today": today, "verified_on": verified_on,
                   "cache_key": cache_key})


# ---- screening without an account -------------------------------------------------------------------

def _draft(token: str) -> ScreeningDraft:
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
    """One topic of the questionnaire; answers are saved as soon as the step is valid."""
    draft = _draft(token)
    if step not in screening.STEPS:
        raise Http404
    missing = screening.first_unanswered(draft.steps_done)
    if missing is not None and screening.STEPS.index(step) > screening.STEPS.index(missing):
        return redirect("eligibility:screening_step", token=token, step=missing)
    form = screening.bind(step, draft.answers, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answers = screening.answers_from(step, form, draft.answers)
        draft = services.screening_draft_save_step(draft=draft, step=step, answers=answers)
        return redirect(_after(draft, step, request.POST.get("then")))
    return render(request, "eligibility/screening_step.html", _step_context(draft, step, form))


def _after(draft: ScreeningDraft, step: str, then: str | None) -> str:
    """Where to go after a saved step: the recap when asked or when all is answered, else onward."""
    upcoming = screening.next_step(step)
    if step == "about" and len(draft.answers.get("members", [])) != screening.size(draft.answers):
        upcoming = "members"  # the number of people changed: the people must be answered again
    elif then == "review" or upcoming is None or screening.is_complete(draft.answers, draft.steps_done):
        return reverse("eligibility:screening_review", kwargs={"token": draft.token})
    return reverse("eligibility:screening_step", kwargs={"token": draft.token, "step": upcoming})


def _step_context(draft: ScreeningDraft, step: str, form) -> dict:
    number = screening.STEPS.index(step) + 1
    return {"draft": draft, "step": step, "title": screening.TITLES[step], "form": form, "number": number,
            "total": len(screening.STEPS), "progress": screening.progress(step, draft.steps_done),
            "is_formset": screening.is_formset(step), "complete": screening.is_complete(draft.answers,
                                                                                        draft.steps_done),
            "names": _member_names(draft.answers), "errors": _error_list(form)}


def _error_list(form) -> list[tuple[str, str]]:
    """Every message of a step as (field id, 'label: message'), for the summary above the form."""
    forms = getattr(form, "forms", [form])
    found = [("", str(e)) for e in getattr(form, "non_form_errors", list)()]
    for sub in forms:
        found += [("", str(e)) for e in sub.non_field_errors()]
        found += [(sub[name].id_for_label or f"{sub[name].auto_id}_0", f"{sub[name].label}: {' '.join(errors)}")
                  for name, errors in sub.errors.items() if name in sub.fields]
    return found


def _member_names(answers: dict) -> list[str]:
    labels = dict(RELATION_CHOICES)
    return [str(labels.get(m.get("relation"), "")) for m in answers.get("members", [])]


@transaction.non_atomic_requests  # reads only: no transaction round trips
def screening_review_view(request: HttpRequest, token: str) -> HttpResponse:
    """The recap: every answer with a link to change it; results once all are given."""
    draft = _draft(token)
    return render(request, "eligibility/screening_review.html", {
        "draft": draft, "sections": screening.recap(draft.answers, draft.steps_done),
        "progress": screening.progress("", draft.steps_done),
        "complete": screening.is_complete(draft.answers, draft.steps_done),
        "missing": screening.first_unanswered(draft.steps_done), "names": _member_names(draft.answers),
    })


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
    key = f"{token}|{version}|{'|'.join(map(str, published().version))}|{dt.date.today()}"
    cacheable = page_cache.cacheable(request)
    if cacheable and (page := page_cache.get(request, key)) is not None:
        return page  # kept only once the draft was complete at this version
    draft = _draft(token)
    if not screening.is_complete(draft.answers, draft.steps_done):
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

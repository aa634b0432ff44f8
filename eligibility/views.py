"""The citizen portal's catalogue: find benefits and read one (screening: eligibility/screening_views.py)."""
import datetime as dt

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from . import presenters, selectors
from .models import TaxonomyTag
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

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import benefit_list


def benefit_list_view(request: HttpRequest) -> HttpResponse:
    """The catalogue of benefits, searchable by name and keyword."""
    query = request.GET.get("q", "")[:100]
    benefits = list(benefit_list(query=query))
    return render(request, "eligibility/benefit_list.html", {"benefits": benefits, "query": query})

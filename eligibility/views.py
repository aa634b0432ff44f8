from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def benefit_list_view(request: HttpRequest) -> HttpResponse:
    """The catalogue of benefits."""
    return render(request, "eligibility/benefit_list.html")

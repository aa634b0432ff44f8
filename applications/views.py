from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def how_to_apply_view(request: HttpRequest) -> HttpResponse:
    """How and where to apply: online, or at any community center whatever the registered address."""
    return render(request, "applications/how_to_apply.html")

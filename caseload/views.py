from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .permissions import staff_required


@staff_required
def office_dashboard_view(request: HttpRequest) -> HttpResponse:
    """A staff member's desk: their office and role."""
    return render(request, "caseload/office_dashboard.html")

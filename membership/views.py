from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def my_page_view(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own page: who they are, their role and office."""
    return render(request, "membership/my_page.html")

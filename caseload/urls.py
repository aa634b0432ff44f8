from django.urls import path

from . import views

app_name = "caseload"
urlpatterns = [
    path("", views.office_dashboard_view, name="office_dashboard"),
]

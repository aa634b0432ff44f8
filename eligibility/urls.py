from django.urls import path

from . import views

app_name = "eligibility"
urlpatterns = [
    path("", views.benefit_list_view, name="benefit_list"),
]

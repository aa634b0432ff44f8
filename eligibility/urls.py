from django.urls import path

from . import views

app_name = "eligibility"
urlpatterns = [
    path("", views.benefit_list_view, name="benefit_list"),
    path("check/", views.screening_start_view, name="screening_start"),
    path("check/resume/", views.screening_resume_view, name="screening_resume"),
    path("check/<str:token>/review/", views.screening_review_view, name="screening_review"),
    path("check/<str:token>/results/", views.screening_results_view, name="screening_results"),
    path("check/<str:token>/print/", views.screening_print_view, name="screening_print"),
    path("check/<str:token>/<slug:step>/", views.screening_step_view, name="screening_step"),
    path("<slug:code>/", views.benefit_detail_view, name="benefit_detail"),
]

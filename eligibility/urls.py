from django.urls import path

from . import join_views, screening_views, views

app_name = "eligibility"
urlpatterns = [
    path("", views.benefit_list_view, name="benefit_list"),
    path("check/", screening_views.screening_start_view, name="screening_start"),
    path("check/resume/", screening_views.screening_resume_view, name="screening_resume"),
    path("check/import/", join_views.screening_import_view, name="screening_import"),
    path("check/<str:token>/join/", join_views.screening_join_view, name="screening_join"),
    path("check/<str:token>/review/", screening_views.screening_review_view, name="screening_review"),
    path("check/<str:token>/results/", screening_views.screening_results_view, name="screening_results"),
    path("check/<str:token>/print/", screening_views.screening_print_view, name="screening_print"),
    path("check/<str:token>/<slug:step>/", screening_views.screening_step_view, name="screening_step"),
    path("<slug:code>/", views.benefit_detail_view, name="benefit_detail"),
]

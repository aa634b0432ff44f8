from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.how_to_apply_view, name="how_to_apply"),
]

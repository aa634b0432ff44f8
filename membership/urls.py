from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "membership"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="membership/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.my_page_view, name="my_page"),
]

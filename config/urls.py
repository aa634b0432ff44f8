from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("membership/", include("membership.urls")),
    path("membership/members/", include("eligibility.member_views")),  # member pages that need the engine
    path("benefits/", include("eligibility.urls")),
    path("applications/", include("applications.urls")),
    path("caseload/", include("caseload.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "membership"
member = "members/<int:member_id>/"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="membership/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup_view, name="signup"),
    path("password-reset/", auth_views.PasswordResetView.as_view(
        template_name="membership/password_reset.html", email_template_name="emails/password_reset.txt",
        subject_template_name="emails/password_reset_subject.txt",
        success_url=reverse_lazy("membership:password_reset_done")), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="membership/password_reset_done.html"), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="membership/password_reset_confirm.html",
        success_url=reverse_lazy("membership:password_reset_complete")), name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="membership/password_reset_complete.html"), name="password_reset_complete"),
    path("session/extend/", views.session_extend_view, name="session_extend"),
    path("me/", views.my_page_view, name="my_page"),
    path("join/", views.join_view, name="join"),
    path(member + "consents/", views.consent_list_view, name="consent_list"),
    path(member + "consents/<str:item>/<str:action>/", views.consent_change_view, name="consent_change"),
    path(member + "notices/", views.notice_list_view, name="notice_list"),
    path(member + "notices/<int:notice_id>/read/", views.notice_read_view, name="notice_read"),
    path(member + "preferences/", views.preference_view, name="preference"),
    path(member + "access-log/", views.access_log_mine_view, name="access_log_mine"),
    path(member + "leave/", views.leave_view, name="leave"),
    path(member + "rrn/", views.rrn_view, name="rrn"),
    path("staff/members/", views.office_member_list_view, name="office_member_list"),
    path("staff/counter/", views.counter_view, name="counter"),
    path("staff/enrol/", views.walkin_enroll_view, name="walkin_enroll"),
    path("staff/access-log/", views.access_log_review_view, name="access_log_review"),
]

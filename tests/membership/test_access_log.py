"""PIPA 접속기록: who, when, from where, whose data, what action; the supervisor's review; the member's view."""
import datetime as dt

from django.utils import timezone

from membership import services
from membership.models import AccessLog

from .helpers import household_single


def test_a_staff_view_writes_who_when_where_whose_and_what(client, member, caseworker, office_gwanak):
    # given
    services.household_update(member=member, document=household_single(), acting_user=member)
    client.force_login(caseworker)
    # when
    client.get(f"/membership/members/{member.pk}/household/", REMOTE_ADDR="10.1.2.3")
    # then
    row = AccessLog.objects.get()
    assert (row.staff, row.subject, row.office, row.ip_address, row.action, row.what) == (
        caseworker, member, office_gwanak, "10.1.2.3", "view", "household")
    assert timezone.now() - row.at < dt.timedelta(seconds=10)


def test_a_staff_change_is_logged_as_a_change(client, member, caseworker, office_gwanak):
    # given
    services.household_update(member=member, document=household_single(), acting_user=member)
    client.force_login(caseworker)
    # when
    client.post(f"/membership/members/{member.pk}/consents/notice_sms/withdraw/")
    # then
    assert list(AccessLog.objects.values_list("action", "what")) == [("change", "consent:notice_sms")]


def test_the_member_reads_who_looked_and_their_own_views_are_not_logged(client, member, caseworker, office_gwanak):
    # given
    services.household_update(member=member, document=household_single(), acting_user=member)
    client.force_login(caseworker)
    client.get(f"/membership/members/{member.pk}/")
    client.force_login(member)
    # when
    page = client.get(f"/en/membership/members/{member.pk}/access-log/").content.decode()
    # then
    assert "caseworker" in page and "관악구 청룡동 주민센터" in page and "Viewed" in page
    assert AccessLog.objects.count() == 1


def test_the_supervisor_filters_by_period_staff_and_subject(client, member, other_member, caseworker, supervisor):
    # given
    old = services.access_log_record(staff=caseworker, subject=member, action="view", what="overview")
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    services.access_log_record(staff=caseworker, subject=member, action="view", what="household")
    services.access_log_record(staff=caseworker, subject=other_member, action="view", what="household")
    services.access_log_record(staff=supervisor, subject=member, action="change", what="consents")
    client.force_login(supervisor)
    today = timezone.localdate().isoformat()
    # when
    response = client.get("/membership/staff/access-log/", {
        "date_from": today, "date_to": today, "staff": "caseworker", "subject": "citizen"})
    # then
    rows = response.context["rows"]
    assert [(r.staff.username, r.subject.username, r.what) for r in rows] == [("caseworker", "citizen", "household")]


def test_the_access_log_is_not_editable_in_the_admin(client, admin_user, member, caseworker):
    # given
    row = services.access_log_record(staff=caseworker, subject=member, action="view", what="overview")
    client.force_login(admin_user)
    # when
    response = client.post(f"/admin/membership/accesslog/{row.pk}/delete/", {"post": "yes"})
    # then
    assert response.status_code == 403
    assert AccessLog.objects.filter(pk=row.pk).exists()

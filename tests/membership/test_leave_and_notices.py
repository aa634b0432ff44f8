"""Leaving the membership; the inbox; notice preferences and quiet hours."""
import datetime as dt
from zoneinfo import ZoneInfo

from membership import selectors, services
from membership.models import (
    AccessLog,
    Consent,
    Household,
    Membership,
    Notice,
    NoticeDelivery,
    NoticePreference,
)

from .helpers import household_single

KST = ZoneInfo("Asia/Seoul")


def test_leaving_stops_notices_deletes_personal_data_and_keeps_legal_records_apart(client, member, caseworker):
    # given
    services.household_update(member=member, document=household_single(), acting_user=member)
    services.member_rrn_set(member=member, rrn="900501-1234568", acting_user=caseworker)
    services.access_log_record(staff=caseworker, subject=member, action="view", what="overview")
    NoticePreference.objects.filter(member=member).update(phone="010-1111-2222")
    notice = services.notice_create(member=member, kind="account", title_ko="t", title_en="t")
    NoticeDelivery.objects.filter(notice=notice).update(status="pending")
    client.force_login(member)
    # when
    refused = client.post(f"/membership/members/{member.pk}/leave/", {})
    response = client.post(f"/membership/members/{member.pk}/leave/", {"confirm": "on"})
    # then
    assert refused.status_code == 200
    assert response.status_code == 302
    membership = Membership.objects.get(member=member)
    assert (membership.status, membership.rrn_encrypted, membership.rrn_birth_part) == ("left", None, "")
    member.refresh_from_db()
    assert (member.username, member.email, member.first_name, member.is_active) == (f"left-{member.pk}", "", "", False)
    assert not member.has_usable_password()
    assert not Household.objects.filter(member=member).exists()
    assert not Notice.objects.filter(member=member).exists()
    assert not NoticeDelivery.objects.exists()
    assert Consent.objects.filter(member=member).count() == 4  # kept: proof of what was agreed
    assert not Consent.objects.filter(member=member, withdrawn_at__isnull=True).exists()
    assert AccessLog.objects.filter(subject=member).count() == 1  # kept: 접속기록, two years
    assert services.notice_create(member=member, kind="account", title_ko="t", title_en="t") is None


def test_the_inbox_lists_unread_first_and_marks_one_read(client, member):
    # given
    first = services.notice_create(member=member, kind="account", title_ko="첫째", title_en="first")
    second = services.notice_create(member=member, kind="account", title_ko="둘째", title_en="second")
    client.force_login(member)
    # when
    client.post(f"/membership/members/{member.pk}/notices/{second.pk}/read/")
    # then
    assert [n.pk for n in selectors.notices_for(member=member)] == [first.pk, second.pk]
    assert Notice.objects.get(pk=second.pk).read_at is not None


def test_a_benefit_notice_is_unique_per_member_benefit_and_rule_version(member):
    # given
    args = {"member": member, "kind": "benefit", "title_ko": "t", "title_en": "t", "benefit_code": "x",
            "rule_code": "x.r1"}
    # when
    first = services.notice_create(**args, rule_version=1)
    duplicate = services.notice_create(**args, rule_version=1)
    next_version = services.notice_create(**args, rule_version=2)
    # then
    assert first is not None and duplicate is None and next_version is not None
    assert Notice.objects.filter(member=member).count() == 2


def test_no_sms_in_quiet_hours_it_waits_until_eight(member):
    # given
    # then
    night = dt.datetime(2026, 11, 23, 22, 30, tzinfo=KST)
    early = dt.datetime(2026, 11, 24, 7, 59, tzinfo=KST)
    day = dt.datetime(2026, 11, 24, 8, 0, tzinfo=KST)
    eight = dt.datetime(2026, 11, 24, 8, 0, tzinfo=KST)
    assert selectors.sms_allowed_from(member=member, now=night) == eight
    assert selectors.sms_allowed_from(member=member, now=early) == eight
    assert selectors.sms_allowed_from(member=member, now=day) == day


def test_preferences_refuse_quiet_hours_shorter_than_21_to_8(client, member):
    # given
    client.force_login(member)
    url = f"/membership/members/{member.pk}/preferences/"
    # when
    short = client.post(url, {"phone": "", "language": "en", "quiet_start": "22:00", "quiet_end": "07:00"})
    longer = client.post(url, {"phone": "010-1111-2222", "language": "en", "quiet_start": "20:00", "quiet_end": "09:00"})
    # then
    assert short.status_code == 200
    assert longer.status_code == 302
    pref = NoticePreference.objects.get(member=member)
    assert (pref.phone, pref.language, pref.quiet_start, pref.quiet_end) == (
        "010-1111-2222", "en", dt.time(20), dt.time(9))

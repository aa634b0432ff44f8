"""Leaving the membership; the inbox; notice preferences and quiet hours."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

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


def test_an_sms_is_sent_through_the_gateway_and_not_after_withdrawal(member, monkeypatch):
    # given
    sent = []

    class FakeGateway:
        def send(self, *, phone, text):
            sent.append((phone, text))
            return "fake-1"

    monkeypatch.setattr("membership.sms.sms_gateway", lambda: FakeGateway())
    member.notice_preference.phone = "010-1111-2222"
    member.notice_preference.save()
    monkeypatch.setattr("membership.selectors.sms_allowed_from", lambda member, now: now)
    # when
    notice = services.notice_create(member=member, kind="account", title_ko="알림", title_en="notice")
    services.notice_deliver(delivery_id=NoticeDelivery.objects.get(notice=notice, channel="sms").pk)
    services.consent_withdraw(member=member, item="notice_sms", acting_user=member)
    later = services.notice_create(member=member, kind="account", title_ko="둘째", title_en="second")
    # then
    assert sent == [("010-1111-2222", "[복지멤버십] 알림")]
    assert NoticeDelivery.objects.get(notice=notice, channel="sms").provider_ref == "fake-1"
    assert not NoticeDelivery.objects.filter(notice=later, channel="sms").exists()


def test_a_delivery_enqueued_before_a_withdrawal_is_cancelled_at_send_time(member, monkeypatch):
    # given
    sent = []
    monkeypatch.setattr("membership.sms.sms_gateway", lambda: type("G", (), {"send": lambda s, **kw: sent.append(kw)})())
    NoticePreference.objects.filter(member=member).update(phone="010-1111-2222")
    monkeypatch.setattr("membership.selectors.sms_allowed_from", lambda member, now: now)
    notice = services.notice_create(member=member, kind="account", title_ko="t", title_en="t")
    delivery = NoticeDelivery.objects.get(notice=notice, channel="sms")
    from membership.models import Consent as ConsentModel
    ConsentModel.objects.filter(member=member, item="notice_sms").update(withdrawn_at=notice.created_at)
    # when
    result = services.notice_deliver(delivery_id=delivery.pk)
    # then
    assert result is False
    assert sent == []
    assert NoticeDelivery.objects.get(pk=delivery.pk).status == "cancelled"


def test_the_sweep_sends_an_sms_held_for_quiet_hours_once_it_is_due(member, monkeypatch):
    # given
    sent = []

    class FakeGateway:
        def send(self, *, phone, text):
            sent.append(phone)
            return f"fake-{len(sent)}"

    monkeypatch.setattr("membership.sms.sms_gateway", lambda: FakeGateway())
    NoticePreference.objects.filter(member=member).update(phone="010-1111-2222")
    services.consent_withdraw(member=member, item="notice_email", acting_user=member)
    notice = services.notice_create(member=member, kind="account", title_ko="t", title_en="t")
    delivery = NoticeDelivery.objects.get(notice=notice)
    held_until = delivery.send_after

    # when: before and after the end of the quiet hours (the sweep task enqueues these ids)
    NoticeDelivery.objects.filter(pk=delivery.pk).update(send_after=held_until.replace(year=2100))
    before = services.notice_deliveries_due()
    early = services.notice_deliver(delivery_id=delivery.pk)
    NoticeDelivery.objects.filter(pk=delivery.pk).update(send_after=held_until.replace(year=2000))
    after = services.notice_deliveries_due()
    first = services.notice_deliver(delivery_id=delivery.pk)
    second = services.notice_deliver(delivery_id=delivery.pk)  # a redelivered task: already claimed
    # then
    assert (before, after) == ([], [delivery.pk])
    assert (early, first, second) == (False, True, False)
    assert sent == ["010-1111-2222"]
    assert NoticeDelivery.objects.get(pk=delivery.pk).status == "sent"


def test_a_gateway_failure_releases_the_claim_so_a_retry_sends_it(member, monkeypatch):
    # given
    calls = []

    class FlakyGateway:
        def send(self, *, phone, text):
            calls.append(phone)
            if len(calls) == 1:
                raise ConnectionError("gateway down")
            return "fake-2"

    monkeypatch.setattr("membership.sms.sms_gateway", lambda: FlakyGateway())
    monkeypatch.setattr("membership.selectors.sms_allowed_from", lambda member, now: now)
    NoticePreference.objects.filter(member=member).update(phone="010-1111-2222")
    notice = services.notice_create(member=member, kind="account", title_ko="t", title_en="t")
    delivery = NoticeDelivery.objects.get(notice=notice, channel="sms")
    # when
    with pytest.raises(ConnectionError):
        services.notice_deliver(delivery_id=delivery.pk)
    after_failure = NoticeDelivery.objects.get(pk=delivery.pk).status
    retried = services.notice_deliver(delivery_id=delivery.pk)
    # then
    assert (after_failure, retried) == ("pending", True)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.provider_ref, len(calls)) == ("sent", "fake-2", 2)

"""Itemised, versioned consents: given, shown and withdrawn one by one, with time, channel and version."""
import pytest
from django.db import IntegrityError

from membership import services
from membership.consents import CONSENT_TEXTS
from membership.models import AccessLog, Consent, Membership, NoticeDelivery, NoticePreference, User


def test_online_enrolment_records_each_item_with_version_hash_and_channel(client, citizen):
    # given
    client.force_login(citizen)
    # when
    response = client.post("/membership/join/", {"terms": "on", "notice_sms": "on"})
    # then
    assert response.status_code == 302
    membership = Membership.objects.get(member=citizen)
    assert (membership.channel, membership.enrolled_by, membership.enrolled_office) == ("online", None, None)
    consents = {c.item: c for c in Consent.objects.filter(member=citizen)}
    assert sorted(consents) == ["notice_sms", "terms"]
    assert consents["terms"].version == "2026-01"
    assert consents["terms"].text_sha256 == CONSENT_TEXTS["terms"].sha256
    assert consents["notice_sms"].channel == "self"


def test_enrolment_without_the_terms_is_refused_and_writes_nothing(client, citizen):
    # given
    client.force_login(citizen)
    # when
    response = client.post("/membership/join/", {"income_assets": "on"})
    # then
    assert response.status_code == 200
    assert not Membership.objects.exists()
    assert not Consent.objects.exists()


def test_caseworker_enrols_a_walk_in_recording_staff_office_and_evidence(client, caseworker_other_office, office_busan):
    # given
    client.force_login(caseworker_other_office)
    # when
    response = client.post("/membership/staff/enrol/", {
        "full_name": "김방문", "email": "walkin@example.kr", "phone": "010-1234-5678",
        "evidence": "서면 동의서 2026-0142", "terms": "on", "income_assets": "on",
    })
    # then
    member = User.objects.get(first_name="김방문")
    assert response["Location"] == f"/membership/members/{member.pk}/household/"
    assert not member.has_usable_password()
    membership = member.membership
    assert (membership.channel, membership.enrolled_by, membership.enrolled_office) == (
        "walk_in", caseworker_other_office, office_busan)
    for consent in Consent.objects.filter(member=member):
        assert (consent.channel, consent.recorded_by, consent.office, consent.evidence) == (
            "staff", caseworker_other_office, office_busan, "서면 동의서 2026-0142")
    assert NoticePreference.objects.get(member=member).phone == "010-1234-5678"
    assert AccessLog.objects.get(subject=member).action == "enrol"


def test_staff_consent_without_evidence_is_refused_by_the_database(member, caseworker):
    with pytest.raises(IntegrityError):
        Consent.objects.create(member=member, item="notice_email", version="2026-01", text_sha256="x",
                               channel="staff", recorded_by=caseworker, evidence="")


def test_withdrawing_sms_consent_cancels_waiting_sms_only(client, member):
    # given
    NoticePreference.objects.filter(member=member).update(phone="010-1111-2222")
    notice = services.notice_create(member=member, kind="account", title_ko="t", title_en="t")
    NoticeDelivery.objects.filter(notice=notice).update(status="pending")
    client.force_login(member)
    # when
    response = client.post(f"/membership/members/{member.pk}/consents/notice_sms/withdraw/")
    # then
    assert response.status_code == 302
    sms = Consent.objects.get(member=member, item="notice_sms")
    assert sms.withdrawn_at is not None and sms.withdrawn_channel == "self"
    assert dict(NoticeDelivery.objects.values_list("channel", "status")) == {"sms": "cancelled", "email": "pending"}
    assert Consent.objects.filter(member=member, withdrawn_at__isnull=True).count() == 3


def test_a_withdrawn_item_can_be_given_again_as_a_new_row(client, member):
    # given
    client.force_login(member)
    client.post(f"/membership/members/{member.pk}/consents/notice_email/withdraw/")
    # when
    client.post(f"/membership/members/{member.pk}/consents/notice_email/give/")
    # then
    rows = Consent.objects.filter(member=member, item="notice_email").order_by("given_at")
    assert [r.withdrawn_at is None for r in rows] == [False, True]


def test_the_terms_cannot_be_withdrawn_on_their_own(client, member):
    # given
    client.force_login(member)
    # when
    response = client.post(f"/membership/members/{member.pk}/consents/terms/withdraw/")
    # then
    assert response.status_code == 404
    assert Consent.objects.get(member=member, item="terms").withdrawn_at is None


def test_consent_page_shows_each_item_its_state_and_version(client, member):
    # given
    client.force_login(member)
    services.consent_withdraw(member=member, item="income_assets", acting_user=member)
    # when
    page = client.get(f"/membership/members/{member.pk}/consents/").content.decode()
    # then
    assert page.count("Withdraw this consent") + page.count("동의 철회") >= 1
    assert "2026-01" in page

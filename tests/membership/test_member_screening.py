"""A household change re-screens the member and writes a notice for each newly eligible/likely service."""
import datetime as dt

from eligibility.member_screening import member_household_change, member_rescreen, member_results
from eligibility.models import MemberBenefitResult
from membership import services
from membership.models import Household, Notice, NoticeDelivery

from .helpers import household_single, household_with_newborn

AS_OF = dt.date(2026, 11, 23)


def test_first_screening_stores_results_with_reasons_and_amounts_and_writes_no_notice(member, catalogue):
    # when
    services.household_update(member=member, document=household_with_newborn(), acting_user=member)
    notices = member_rescreen(member=member, acting_user=member, as_of=AS_OF)
    # then
    assert notices == []
    child = MemberBenefitResult.objects.get(household__member=member, benefit_code="child_allowance")
    assert (child.outcome, child.amount_krw, child.amount_period) == ("eligible", 100000, "month")
    assert child.reasons and all({"ko", "en", "passed"} <= set(r) for r in child.reasons)
    assert child.declared_only is False
    assert member_results(member=member)[0].outcome == "eligible"


def test_a_new_child_makes_child_allowance_appear_in_the_inbox_once(member, catalogue):
    # given
    services.household_update(member=member, document=household_single(), acting_user=member)
    member_rescreen(member=member, acting_user=member, as_of=AS_OF)
    # when
    services.household_update(member=member, document=household_with_newborn(), acting_user=member)
    notices = member_rescreen(member=member, acting_user=member, as_of=AS_OF)
    again = member_rescreen(member=member, acting_user=member, as_of=AS_OF)
    # then
    codes = sorted(n.benefit_code for n in notices)
    assert "child_allowance" in codes and "parental_benefit" in codes
    assert "eitc" not in codes  # it was already likely: not new
    assert again == []
    assert Notice.objects.filter(member=member, benefit_code="child_allowance").count() == 1
    child = Notice.objects.get(member=member, benefit_code="child_allowance")
    assert child.title_en.startswith("A benefit you can now get:")
    assert child.read_at is None


def test_without_income_asset_consent_results_are_marked_declared_only(member, catalogue):
    # given
    services.consent_withdraw(member=member, item="income_assets", acting_user=member)
    # when
    member_household_change(member=member, document=household_single(), acting_user=member)
    # then
    assert set(MemberBenefitResult.objects.values_list("declared_only", flat=True)) == {True}


def test_the_page_says_a_person_without_consent_is_screened_on_declared_data(client, member, catalogue):
    # given
    services.consent_withdraw(member=member, item="income_assets", acting_user=member)
    member_household_change(member=member, document=household_single(), acting_user=member)
    client.force_login(member)
    # when
    page = client.get(f"/en/membership/members/{member.pk}/").content.decode()
    # then
    assert "screened only on what you declared" in page


def test_email_and_sms_deliveries_follow_the_consented_channels(member, catalogue, mailoutbox):
    # given
    member.notice_preference.phone = "010-1111-2222"
    member.notice_preference.save()
    services.consent_withdraw(member=member, item="notice_sms", acting_user=member)
    member_household_change(member=member, document=household_single(), acting_user=member)
    # when
    member_household_change(member=member, document=household_with_newborn(), acting_user=member)
    for delivery_id in NoticeDelivery.objects.values_list("pk", flat=True):  # what the worker does
        services.notice_deliver(delivery_id=delivery_id)
    # then
    channels = set(NoticeDelivery.objects.values_list("channel", flat=True))
    assert channels == {"email"}
    assert len(mailoutbox) == Notice.objects.filter(member=member).count()
    assert mailoutbox[0].to == ["citizen@example.kr"]


def test_the_household_form_saves_rescreens_and_redirects_to_the_overview(client, member, catalogue):
    # given
    client.force_login(member)
    data = {
        "sido": "서울특별시", "sigungu": "관악구", "tenure": "rent", "monthly_rent": "400000",
        "asset_housing": "20000000", "asset_general": "0", "asset_financial": "3000000", "asset_car_value": "0",
        "asset_car_cc": "0", "asset_debt": "0",
        "m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "12",
        "m-0-relation": "self", "m-0-birth_date": "1990-05-01", "m-0-disability": "none", "m-0-school": "none",
        "m-0-income_earned": "1800000", "m-0-income_business": "0", "m-0-income_property": "0",
        "m-0-income_public_transfer": "0", "m-0-income_private_transfer": "0",
        # the empty extra person, as the browser posts it untouched
        "m-1-relation": "", "m-1-birth_date": "", "m-1-disability": "none", "m-1-school": "none",
        **{f"m-1-income_{k}": "0" for k in ("earned", "business", "property", "public_transfer", "private_transfer")},
    }
    # when
    response = client.post(f"/membership/members/{member.pk}/household/", data)
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/membership/members/{member.pk}/"
    assert member.household.members.count() == 1
    assert MemberBenefitResult.objects.filter(household__member=member, outcome="likely").exists()


def test_a_household_with_no_self_is_refused_and_nothing_is_saved(client, member, catalogue):
    # given
    client.force_login(member)
    data = {
        "sido": "서울특별시", "sigungu": "관악구", "tenure": "rent", "monthly_rent": "0",
        **{f"asset_{k}": "0" for k in ("housing", "general", "financial", "car_value", "car_cc", "debt")},
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "12",
        "m-0-relation": "child", "m-0-birth_date": "2020-01-01", "m-0-disability": "none", "m-0-school": "none",
        **{f"m-0-income_{k}": "0" for k in ("earned", "business", "property", "public_transfer", "private_transfer")},
    }
    # when
    response = client.post(f"/membership/members/{member.pk}/household/", data)
    # then
    assert response.status_code == 200
    assert not Household.objects.filter(member=member).exists()


def test_answers_of_an_anonymous_screening_are_brought_in_by_its_code(client, member, catalogue):
    # given
    import datetime as dt_

    from django.utils import timezone

    from eligibility.models import ScreeningDraft

    ScreeningDraft.objects.create(token="t" * 40, code="ABCD2345", answers=household_with_newborn(sido="부산광역시"),
                                  expires_at=timezone.now() + dt_.timedelta(days=1))
    ScreeningDraft.objects.create(token="u" * 40, code="OLDC2345", answers=household_single(sido="대구광역시"),
                                  expires_at=timezone.now() - dt_.timedelta(days=1))
    client.force_login(member)
    # when
    fresh = client.get(f"/membership/members/{member.pk}/household/?draft=abcd2345")
    expired = client.get(f"/membership/members/{member.pk}/household/?draft=OLDC2345")
    # then
    assert fresh.context["form"].initial["sido"] == "부산광역시"
    assert [f.initial["relation"] for f in fresh.context["formset"].initial_forms] == ["self", "child"]
    assert expired.context["form"].initial == {}
    assert not Household.objects.filter(member=member).exists()  # brought in, not saved until the member saves


def test_a_check_answered_through_the_steps_is_brought_in_by_its_code_as_the_household_it_screened(
        client, member, catalogue):
    # given: a four-person check whose steps skipped what did not apply (e.g. school for the adults)
    from eligibility import services as screening_services
    from tests.eligibility.test_portal_screening import STEPS

    draft = screening_services.screening_draft_start()
    for step, data in STEPS:
        assert client.post(f"/benefits/check/{draft.token}/{step}/", data).status_code == 302
    client.force_login(member)
    # when
    page = client.get(f"/membership/members/{member.pk}/household/?draft={draft.code.lower()}")
    # then: every member is there with every field filled, as the engine screened them
    members = [f.initial for f in page.context["formset"].initial_forms]
    assert len(members) == 4 and all(m["school"] and m["disability"] for m in members)
    assert (page.context["form"].initial["sido"], page.context["form"].initial["sigungu"]) == ("서울특별시", "관악구")

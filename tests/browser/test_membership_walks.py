"""The two walks of issue 5 in a real Chromium: a citizen on their own, and a caseworker enrolling a
walk-in at an office that is not the member's home office. Each goes sign-up/enrolment -> consents
-> household -> services with reasons -> a change that puts a new service in the inbox ->
withdrawing the SMS consent -> leaving."""
from pathlib import Path

import pytest
from django.core.management import call_command

from membership.models import AccessLog, Consent, Household, Membership, Notice, User
from tests.conftest import PASSWORD

from .axe import assert_accessible

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"membership-{name}.png"), full_page=True)


def _fill_household(page, *, with_child: bool) -> None:
    page.select_option("[name=sido]", "서울특별시")
    page.fill("[name=sigungu]", "관악구")
    page.select_option("[name=tenure]", "rent")
    page.fill("[name=monthly_rent]", "400000")
    page.fill("[name=asset_housing]", "20000000")
    page.fill("[name=asset_financial]", "3000000")
    page.select_option("[name=m-0-relation]", "self")
    page.fill("[name=m-0-birth_date]", "1990-05-01")
    page.fill("[name=m-0-income_earned]", "1800000")
    if with_child:
        page.select_option("[name=m-1-relation]", "child")
        page.fill("[name=m-1-birth_date]", "2026-08-01")


def _add_newborn(page) -> None:
    page.select_option("[name=m-1-relation]", "child")
    page.fill("[name=m-1-birth_date]", "2026-08-01")
    page.get_by_role("button", name="저장하고 다시 확인").click()


def _withdraw_sms(page) -> None:
    page.locator("button[name=withdraw][value=notice_sms]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_a_citizen_signs_up_consents_keeps_the_household_is_told_withdraws_sms_and_leaves(live_server, page):
    # given
    call_command("load_catalogue", verbosity=0)
    page.goto(live_server.url + "/membership/signup/")
    # when: sign-up, no resident registration number asked
    page.fill("[name=full_name]", "홍길동")
    page.fill("[name=username]", "gildong")
    page.fill("[name=email]", "gildong@example.kr")
    page.fill("[name=password]", "long-enough-pass-42")
    page.get_by_role("button", name="회원가입").click()
    # then: consents, one by one
    page.wait_for_url("**/membership/join/")
    assert page.locator("fieldset.consent-item").count() == 4
    assert_accessible(page)
    _shot(page, "join")
    for item in ("terms", "income_assets", "notice_email", "notice_sms"):
        page.check(f"[name={item}]")
    page.get_by_role("button", name="가입하기").click()
    # household
    page.wait_for_url("**/household/")
    _fill_household(page, with_child=False)
    assert_accessible(page)
    _shot(page, "household")
    page.get_by_role("button", name="저장하고 다시 확인").click()
    # my page: services with reasons
    page.wait_for_selector("article.service")
    assert page.locator("article.service").count() >= 1
    assert page.locator("article.service details summary").first.inner_text() == "판정 이유"
    assert page.locator("[data-benefit=child_allowance]").count() == 0
    assert_accessible(page)
    _shot(page, "overview")
    # a household change makes a new service appear in the inbox
    page.goto(page.url + "household/")
    _add_newborn(page)
    page.wait_for_selector("[data-benefit=child_allowance]")
    assert "새로 받을 수 있는 복지: 부모급여" in page.locator("#inbox-h + ul").inner_text()
    assert page.locator("#changes-h + ul").inner_text() == "가구원"
    _shot(page, "overview-after-change")
    page.get_by_role("link", name="알림 모두 보기").click()
    assert "새로 받을 수 있는 복지: 아동수당" in page.locator("ul.notice-list").inner_text()
    assert page.locator("li.notice-unread").count() == Notice.objects.count()
    assert_accessible(page)
    _shot(page, "inbox")
    # withdrawing the SMS consent
    page.get_by_role("link", name="동의 관리").first.click()
    _withdraw_sms(page)
    member = User.objects.get(username="gildong")
    assert Consent.objects.get(member=member, item="notice_sms").withdrawn_at is not None
    assert Consent.objects.filter(member=member, withdrawn_at__isnull=True).count() == 3
    assert_accessible(page)
    _shot(page, "consents")
    # leaving
    page.get_by_role("link", name="멤버십 탈퇴").first.click()
    page.check("[name=confirm]")
    page.get_by_role("button", name="멤버십 탈퇴").click()
    page.wait_for_url(live_server.url + "/")
    assert Membership.objects.get(member=member).status == "left"
    assert not Household.objects.filter(member=member).exists()
    assert not Notice.objects.filter(member=member).exists()


@pytest.mark.django_db(transaction=True)
def test_a_busan_caseworker_enrols_a_gwanak_walk_in_and_does_the_same_walk(
    live_server, page, caseworker_other_office, office_gwanak, office_busan,
):
    # given
    call_command("load_catalogue", verbosity=0)
    page.goto(live_server.url + "/membership/login/")
    page.fill("[name=username]", "caseworker_busan")
    page.fill("[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.goto(live_server.url + "/membership/me/")
    # when: enrolment at the counter
    page.get_by_role("link", name="방문자 가입 처리").click()
    page.fill("[name=full_name]", "김방문")
    page.fill("[name=email]", "walkin@example.kr")
    page.fill("[name=phone]", "010-1234-5678")
    page.fill("[name=evidence]", "서면 동의서 2026-0142")
    for item in ("terms", "income_assets", "notice_sms"):
        page.check(f"[name={item}]")
    assert_accessible(page)
    _shot(page, "walkin-enrol")
    page.get_by_role("button", name="가입 처리").click()
    page.wait_for_url("**/household/")
    _fill_household(page, with_child=False)
    page.get_by_role("button", name="저장하고 다시 확인").click()
    page.wait_for_selector("article.service")
    assert "모든 열람이 기록됩니다" in page.locator(".staff-banner").inner_text()
    _shot(page, "walkin-overview")
    member = User.objects.get(first_name="김방문")
    membership = Membership.objects.get(member=member)
    # then: the walk-in's home office is 관악, not the enrolling 부산 office
    assert (membership.enrolled_office, membership.home_office, membership.enrolled_by) == (
        office_busan, office_gwanak, caseworker_other_office)
    overview = page.url
    # identity checked on a card: the RRN is shown masked only, and stored encrypted
    page.get_by_role("link", name="본인 확인").click()
    page.fill("[name=rrn]", "900501-1234568")
    page.get_by_role("button", name="기록").click()
    page.wait_for_url(overview)
    assert page.locator(".rrn").inner_text() == "900501-*******"
    assert "1234568" not in page.content()
    assert b"1234568" not in bytes(Membership.objects.get(member=member).rrn_encrypted)
    page.goto(overview + "household/")
    _add_newborn(page)
    page.wait_for_selector("[data-benefit=child_allowance]")
    assert Notice.objects.filter(member=member, benefit_code="child_allowance").count() == 1
    page.get_by_role("link", name="동의 관리").first.click()
    _withdraw_sms(page)
    sms = Consent.objects.get(member=member, item="notice_sms")
    assert (sms.withdrawn_channel, sms.recorded_by, sms.evidence) == ("staff", caseworker_other_office, "서면 동의서 2026-0142")
    page.get_by_role("link", name="멤버십 탈퇴").first.click()
    page.check("[name=confirm]")
    page.get_by_role("button", name="멤버십 탈퇴").click()
    page.wait_for_url("**/membership/me/")
    assert Membership.objects.get(member=member).status == "left"
    actions = set(AccessLog.objects.filter(staff=caseworker_other_office, subject=member).values_list("action", flat=True))
    assert actions == {"enrol", "view", "change"}

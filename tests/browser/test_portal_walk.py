"""The citizen portal in a real Chromium: a new user's walk from the home page to a printed summary
and back from the resume link, every page and form state through axe-core, in Korean and English,
on a desktop and a phone. Screenshots go to test-artifacts/portal/, or with PORTAL_SCREENSHOTS=1 to
docs/screenshots/ (linked from the README), so an ordinary test run leaves the docs alone."""
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from eligibility import screening, services
from eligibility.published import clear

from .axe import assert_accessible

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / ("docs/screenshots" if os.environ.get("PORTAL_SCREENSHOTS") else "test-artifacts/portal")
FOUR_PEOPLE = [("1988-04-02", None), ("1990-09-15", "spouse"), ("2019-06-01", "child"), ("2025-10-20", "child")]
ANSWERS = {
    "region": {"sido": "서울특별시", "sigungu": "관악구"}, "household_size": 4, "anyone_disabled": False,
    "members": [
        {"relation": rel or "self", "birth_date": born, "disability": "none", "pregnant": False, "school": "none",
         "income": {"earned": 1200000 if rel is None else 0, "business": 0, "public_transfer": 0,
                    "private_transfer": 0, "property": 0}}
        for born, rel in FOUR_PEOPLE
    ],
    "housing": {"tenure": "rent", "monthly_rent": 300000},
    "assets": {"housing": 20000000, "general": 0, "financial": 2000000, "car_value": 0, "car_cc": 0, "debt": 0},
    "home_basis": "deposit",
    "status": {"nbls_recipient": False, "near_poor": False, "single_parent": False},
}
NEXT = "저장하고 다음"


@pytest.fixture
def catalogue(transactional_db):
    call_command("load_catalogue", verbosity=0)
    clear()


def _shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _fill_the_four_person_household(page) -> None:
    page.select_option("#id_sido", "서울특별시")
    page.fill("#id_sigungu", "관악구")
    page.fill("#id_household_size", "4")
    page.check("#id_anyone_disabled_1")
    page.get_by_role("button", name=NEXT).click()
    # members: the first person is you, asked only the date of birth; the others are spouse, child, child
    assert page.locator("#id_m-0-relation").count() == 0
    for i, (born, relation) in enumerate(FOUR_PEOPLE):
        page.fill(f"#id_m-{i}-birth_date", born)
        if relation:
            page.select_option(f"#id_m-{i}-relation", relation)
    page.get_by_role("button", name=NEXT).click()
    # details: pregnancy for the two adults, school for the older child, nothing for the baby
    assert page.locator("legend").all_inner_texts() == ["가구원 1 — 본인", "가구원 2 — 배우자", "가구원 3 — 자녀"]
    assert page.locator("#id_d-0-school").count() == 0 and page.locator("[id^=id_d-][id$=disability]").count() == 0
    assert_accessible(page)
    page.select_option("#id_d-2-school", "elementary")
    page.get_by_role("button", name=NEXT).click()
    # income asked per person from 15, a year for the earner; the children are not asked
    assert page.locator("fieldset.person").count() == 2
    page.check("#id_i-0-period_1")
    page.fill("#id_i-0-earned", "14,400,000")
    page.get_by_role("button", name=NEXT).click()
    # rent is asked only once the home is rented by the month
    assert not page.locator("#id_monthly_rent").is_visible()
    page.check("#id_tenure_1")
    assert not page.locator("#id_monthly_rent").is_visible()
    page.check("#id_tenure_0")
    assert page.locator("#id_monthly_rent").is_visible()
    assert_accessible(page)
    page.fill("#id_monthly_rent", "300,000")
    page.get_by_role("button", name=NEXT).click()
    assert page.locator("label[for=id_housing]").inner_text().startswith("임차 보증금")
    page.fill("#id_housing", "20,000,000")
    page.fill("#id_financial", "2,000,000")
    page.get_by_role("button", name=NEXT).click()
    # the situation: no 'single parent' (a spouse lives here), no basic pension (nobody is 65), no 'both work'
    assert page.locator("input[name=single_parent], input[name=basic_pension_recipient]").count() == 0
    page.check("#id_nbls_recipient_0")
    assert not page.locator("#id_near_poor_0").is_visible()  # recipients are not near-poor
    page.check("#id_nbls_recipient_1")
    assert page.locator("#id_near_poor_0").is_visible()
    page.check("#id_near_poor_1")
    page.get_by_role("button", name=NEXT).click()


@pytest.mark.django_db(transaction=True)
def test_a_new_user_finds_a_benefit_screens_a_household_prints_and_resumes(live_server, browser, page, catalogue):
    # given: the home page
    page.goto(live_server.url + "/")
    assert_accessible(page)
    # when: searching as people type, with a space and a particle
    page.fill("#home-search", "아동 수당을")
    page.get_by_role("button", name="검색").click()
    # then
    assert "아동수당" in page.locator(".benefit-list").inner_text()
    assert_accessible(page)
    # when: opening the benefit page
    page.get_by_role("link", name="아동수당", exact=True).click()
    # then: who it is for comes from the rule rows, with documents and the legal basis
    assert page.locator("h1").inner_text() == "아동수당"
    assert "가구원 중 1명 이상이 만 나이 9세 미만" in page.locator("#who-title + *, .rule-box").first.inner_text()
    assert "구비 서류" in page.content() and "근거 법령" in page.content()
    assert_accessible(page)
    # when: starting the check from the benefit page
    page.get_by_role("button", name="받을 수 있는 복지 모의계산").click()
    assert page.locator(".step-count").inner_text() == "7단계 중 1단계"
    assert_accessible(page)
    _fill_the_four_person_household(page)
    # then: the recap lists every answer
    assert page.locator("h1").inner_text() == "답변 확인"
    assert "월 1,200,000원" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="결과 보기").click()
    # then: results with reasons and amounts and a monthly total
    assert page.locator("h1").inner_text() == "받을 수 있는 복지서비스"
    child = page.locator("article", has=page.locator("#r-child_allowance"))
    assert "200,000원" in child.inner_text()
    child.locator("summary").click()
    assert "충족" in child.locator(".reasons").inner_text()
    total = page.locator(".total").inner_text()
    assert re.fullmatch(r"[\d,]+원", total) and total != "0원"
    assert_accessible(page)
    # when: the printable summary
    page.get_by_role("link", name="한 장 요약 인쇄").click()
    code = page.locator(".code").first.inner_text()
    assert "아동수당" in page.locator(".print-table").inner_text()
    page.locator(".js-print").wait_for(state="visible")  # the script ran under the CSP nonce
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    page.emulate_media(media="screen")
    assert_accessible(page)
    resume_link = live_server.url + page.url.split(live_server.url)[1].replace("/print/", "/review/")
    # when: coming back from the link in a fresh browser (no cookie, no history)
    fresh = browser.new_context()
    other = fresh.new_page()
    other.goto(resume_link)
    # then: the same answers
    assert "서울특별시 관악구" in other.locator("main").inner_text()
    assert "월 1,200,000원" in other.locator("main").inner_text()
    other.locator(".recap a[href$='/income/']").click()
    assert other.locator("#id_i-0-earned").input_value() == "1,200,000"
    assert other.locator("#id_m-0-birth_date").count() == 0
    # and the code read out at a counter finds it too
    other.goto(live_server.url + "/benefits/check/")
    other.fill("#id_code", code.lower())
    other.get_by_role("button", name="이어서 하기").click()
    assert other.locator("h1").inner_text() == "답변 확인"
    fresh.close()
    # when: joining the membership with these answers, from the results page
    page.goto(resume_link.replace("/review/", "/results/"))
    page.get_by_role("button", name="이 답변으로 복지멤버십 가입").click()
    assert page.locator("h1").inner_text() == "회원가입"
    page.fill("#id_full_name", "김하나")
    page.fill("#id_username", "hana")
    page.fill("#id_email", "hana@example.kr")
    page.fill("#id_password", "quiet-river-2026")
    page.locator("main button[type=submit]").click()
    page.check("#id_terms")
    page.locator("main button[type=submit]").click()
    # then: the answers to confirm, in the household's words
    assert page.locator("h1").inner_text() == "답변으로 만드는 가구 정보"
    assert "서울특별시 관악구" in page.locator("main").inner_text()
    assert_accessible(page)
    _shot(page, "join-import-ko-desktop")
    page.get_by_role("button", name="내 가구 정보로 저장").click()
    # then: my page with the household screened
    assert page.locator("h1").inner_text() == "마이페이지"
    assert page.locator(".service[data-benefit=child_allowance]").count() == 1
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_bad_input_is_shown_next_to_each_field_and_keeps_the_rest(live_server, page, catalogue):
    # given
    draft = services.screening_draft_start()
    services.screening_draft_save_step(draft=draft, step="about", answers={
        k: ANSWERS[k] for k in ("region", "household_size", "anyone_disabled")})
    page.goto(f"{live_server.url}/benefits/check/{draft.token}/members/")
    assert_accessible(page)
    # when: a child born before the parent and a date in the future
    for i, (born, relation) in enumerate(FOUR_PEOPLE):
        page.fill(f"#id_m-{i}-birth_date", born)
        if relation:
            page.select_option(f"#id_m-{i}-relation", relation)
    page.fill("#id_m-2-birth_date", "1970-01-01")
    page.get_by_role("button", name="저장하고 다음").click()
    # then
    error = page.locator("#id_m-2-birth_date_error")
    assert error.inner_text() == "자녀가 본인보다 먼저 태어날 수 없습니다. 두 사람의 생년월일을 확인하세요."
    assert page.locator("#id_m-2-birth_date").get_attribute("aria-describedby") == "id_m-2-birth_date_error"
    assert page.locator("#id_m-1-birth_date").input_value() == "1990-09-15"
    assert page.locator(".error-summary a").first.get_attribute("href") == "#id_m-2-birth_date"
    assert_accessible(page)
    _shot(page, "screening-errors-ko-desktop")


@pytest.mark.django_db(transaction=True)
def test_the_check_works_with_the_keyboard_alone(live_server, page, catalogue):
    # given
    page.goto(live_server.url + "/en/benefits/check/")
    # when: tabbing to the start button and pressing Enter
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Start the check":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/about/$"))
    # then: the first field takes typing, Tab moves on, Enter submits
    page.locator("#id_sido").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_sigungu"
    page.keyboard.type("관악구")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    # the province was left out: the summary takes focus-able links to the field
    assert page.locator("#id_sido_error").inner_text() == "This field is required."
    page.locator(".error-summary a").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#id_sido"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_home_screening_and_results_pages_pass_axe_in_both_languages_and_sizes(
        live_server, browser, catalogue, lang, device):
    # given
    size = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}[device]
    context = browser.new_context(viewport=size, is_mobile=device == "phone", device_scale_factor=1)
    page = context.new_page()
    prefix = "" if lang == "ko" else "/en"
    draft = services.screening_draft_start()
    services.screening_draft_save_step(draft=draft, step="about", answers=ANSWERS)
    for step in screening.STEPS[1:]:
        services.screening_draft_save_step(draft=draft, step=step, answers={})
    pages = {"home": "/", "benefit": "/benefits/basic_pension/", "screening": f"/benefits/check/{draft.token}/income/",
             "details": f"/benefits/check/{draft.token}/details/",
             "review": f"/benefits/check/{draft.token}/review/", "results": f"/benefits/check/{draft.token}/results/",
             "print": f"/benefits/check/{draft.token}/print/"}
    for name, path in pages.items():
        # when
        page.goto(live_server.url + prefix + path)
        # then
        assert page.locator("html").get_attribute("lang") == lang
        if name in ("home", "screening", "results"):
            _shot(page, f"{name}-{lang}-{device}", full_page=name != "results")
        if name == "results":
            page.get_by_role("link", name=re.compile("이유 보기|and why")).click()  # "not eligible" on request
            assert page.locator("#g-no ~ article").count() > 0
            assert_accessible(page)
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, name
    context.close()


@pytest.mark.django_db(transaction=True)
def test_joining_with_the_answers_passes_axe_in_english_on_a_phone(live_server, browser, catalogue):
    # given: a complete check, in English on a phone
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=1)
    page = context.new_page()
    draft = services.screening_draft_start()
    for step in screening.STEPS:
        services.screening_draft_save_step(draft=draft, step=step, answers=ANSWERS)
    page.goto(f"{live_server.url}/en/benefits/check/{draft.token}/results/")
    # when
    page.get_by_role("button", name="Join the membership with these answers").click()
    # then: every page on the way
    assert_accessible(page)
    page.fill("#id_full_name", "Hana Kim")
    page.fill("#id_username", "hana_en")
    page.fill("#id_email", "hana@example.kr")
    page.fill("#id_password", "quiet-river-2026")
    page.locator("main button[type=submit]").click()
    assert_accessible(page)
    page.check("#id_terms")
    page.locator("main button[type=submit]").click()
    assert page.locator("h1").inner_text() == "Your household from your answers"
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()

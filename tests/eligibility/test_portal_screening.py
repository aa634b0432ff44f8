"""Screening without an account: drafts, the six steps, bad input, the recap, results and resuming."""
import datetime as dt

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.http import HttpRequest
from django.utils import timezone

from eligibility import forms, page_cache, screening, services
from eligibility.engine.household import parse_household
from eligibility.models import Rule, ScreeningDraft
from eligibility.published import clear, published

pytestmark = pytest.mark.django_db

ABOUT = {"sido": "서울특별시", "sigungu": "관악구", "household_size": "4", "anyone_disabled": "no"}
MEMBERS = {
    "m-TOTAL_FORMS": "4", "m-INITIAL_FORMS": "4", "m-0-birth_date": "1988-04-02",
    "m-1-relation": "spouse", "m-1-birth_date": "1990-09-15",
    "m-2-relation": "child", "m-2-birth_date": "2019-06-01",
    "m-3-relation": "child", "m-3-birth_date": "2025-10-20",
}
# asked: pregnancy of you and your spouse, school of the older child; nothing of the baby
DETAILS = {"d-TOTAL_FORMS": "3", "d-INITIAL_FORMS": "3", "d-2-school": "elementary"}
# asked: you and your spouse; the children are under 15
INCOME = {"i-TOTAL_FORMS": "2", "i-INITIAL_FORMS": "2", "i-0-period": "year", "i-0-earned": "14,400,000",
          "i-1-period": "month"}
HOUSING = {"tenure": "rent", "monthly_rent": "300,000"}
ASSETS = {"housing": "20,000,000", "financial": "2000000"}
SITUATION = {"nbls_recipient": "no", "near_poor": "no"}
STEPS = [("about", ABOUT), ("members", MEMBERS), ("details", DETAILS), ("income", INCOME), ("housing", HOUSING),
         ("assets", ASSETS), ("situation", SITUATION)]


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)
    clear()


@pytest.fixture
def draft(db) -> ScreeningDraft:
    return services.screening_draft_start()


def _url(draft: ScreeningDraft, page: str) -> str:
    return f"/benefits/check/{draft.token}/{page}/"


def _answer_all(client, draft: ScreeningDraft) -> None:
    for step, data in STEPS:
        response = client.post(_url(draft, step), data)
        assert response.status_code == 302, (step, response.context and response.context["errors"])


# ---- services --------------------------------------------------------------------------------------

def test_a_new_draft_has_a_long_token_a_short_unambiguous_code_and_a_week_to_live(draft):
    # then
    assert len(draft.token) == 43
    assert len(draft.code) == 8
    assert set(draft.code) <= set(services.CODE_ALPHABET)
    assert not set(draft.code) & set("01OIL")
    week = timezone.now() + dt.timedelta(days=7)
    assert abs((draft.expires_at - week).total_seconds()) < 5
    assert draft.answers == {} and draft.steps_done == []


def test_saving_a_step_merges_answers_and_extends_the_life(draft):
    # given
    ScreeningDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() + dt.timedelta(hours=1))
    # when
    services.screening_draft_save_step(draft=draft, step="housing", answers={"housing": {"tenure": "own"}})
    saved = services.screening_draft_save_step(draft=draft, step="housing",
                                               answers={"housing": {"tenure": "rent", "monthly_rent": 1}})
    # then
    saved.refresh_from_db()
    assert saved.answers == {"housing": {"tenure": "rent", "monthly_rent": 1}}
    assert saved.steps_done == ["housing"]
    assert saved.expires_at > timezone.now() + dt.timedelta(days=6)


def test_expired_drafts_are_deleted_and_live_ones_kept(draft):
    # given
    old = services.screening_draft_start()
    ScreeningDraft.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    # when
    deleted = services.screening_drafts_delete_expired()
    # then
    assert deleted == 1
    assert list(ScreeningDraft.objects.values_list("pk", flat=True)) == [draft.pk]


def test_the_expiry_command_and_task_use_the_same_service(draft, capsys):
    # given
    from eligibility.tasks import screening_drafts_delete_expired

    ScreeningDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    # when
    call_command("screening_drafts_expire")
    # then
    assert capsys.readouterr().out == "Deleted 1 expired screening drafts.\n"
    assert screening_drafts_delete_expired() == 0


# ---- forms -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "won"), [("1,200,000", 1200000), ("1 200 000원", 1200000), ("", 0), ("0", 0)])
def test_money_is_read_as_people_write_it(typed, won):
    assert forms.MoneyField().clean(typed) == won


@pytest.mark.parametrize("typed", ["12만", "-5", "1.5", "abc"])
def test_money_that_is_not_whole_won_is_refused(typed):
    with pytest.raises(forms.forms.ValidationError):
        forms.MoneyField().clean(typed)


def test_a_yearly_income_is_divided_by_twelve_and_floored():
    # given
    form = forms.IncomeForm({"period": "year", "earned": "10,000,001", "business": "120"})
    # when
    assert form.is_valid()
    # then
    assert form.monthly() == {"earned": 833333, "business": 10, "public_transfer": 0, "private_transfer": 0,
                              "property": 0}


def test_a_birth_date_in_the_future_is_refused_next_to_the_field():
    # given
    form = forms.MemberForm({"relation": "child", "birth_date": "2031-01-01", "disability": "none",
                             "school": "none"}, today=dt.date(2026, 3, 1))
    # then
    assert not form.is_valid()
    assert form.errors == {"birth_date": ["생년월일은 미래일 수 없습니다."]}
    assert form.fields["birth_date"].widget.attrs["aria-describedby"] == "id_birth_date_error"
    assert form.fields["birth_date"].widget.attrs["aria-invalid"] == "true"


# ---- the questionnaire -----------------------------------------------------------------------------

def test_starting_a_check_creates_a_draft_and_opens_the_first_step(client):
    # when
    response = client.post("/benefits/check/")
    # then
    draft = ScreeningDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/benefits/check/{draft.token}/about/"


def test_a_later_step_sends_back_to_the_first_unanswered_one(client, draft):
    # when
    response = client.get(_url(draft, "income"))
    # then
    assert response.status_code == 302
    assert response["Location"] == _url(draft, "about")


def test_the_members_step_asks_for_as_many_people_as_answered(client, draft):
    # given
    client.post(_url(draft, "about"), ABOUT)
    # when
    response = client.get(_url(draft, "members"))
    # then
    formset = response.context["form"]
    assert len(formset.forms) == 4
    assert list(formset.forms[0].fields) == ["birth_date"]  # you are you: no relation asked
    assert list(formset.forms[1].fields) == ["relation", "birth_date"]
    assert response.context["number"] == 2 and response.context["total"] == 7


def test_a_child_older_than_the_parent_is_caught_and_other_answers_kept(client, draft):
    # given
    client.post(_url(draft, "about"), ABOUT)
    bad = {**MEMBERS, "m-2-birth_date": "1980-01-01", "m-3-birth_date": "2099-01-01"}
    # when
    response = client.post(_url(draft, "members"), bad)
    # then
    assert response.status_code == 200
    formset = response.context["form"]
    assert formset.forms[3].errors == {"birth_date": ["생년월일은 미래일 수 없습니다."]}
    assert formset.forms[1]["birth_date"].value() == "1990-09-15"
    draft.refresh_from_db()
    assert draft.steps_done == ["about"] and draft.answers["members"] == []
    # and when the future date is fixed, the child older than the parent remains
    response = client.post(_url(draft, "members"), {**bad, "m-3-birth_date": "2025-10-20"})
    assert response.context["form"].forms[2].errors == {
        "birth_date": ["자녀가 본인보다 먼저 태어날 수 없습니다. 두 사람의 생년월일을 확인하세요."]}
    assert 'aria-describedby="id_m-2-birth_date_error"' in response.content.decode()


def test_errors_are_in_the_readers_language(client, draft):
    # when
    response = client.post(f"/en/benefits/check/{draft.token}/about/", {"sido": "", "household_size": "0"})
    # then
    assert response.context["form"].errors == {
        "sido": ["This field is required."], "household_size": ["A household has at least one person: you."],
        "anyone_disabled": ["Choose yes or no."]}
    assert response.context["errors"][0] == ("id_sido", "Province or city where you live: This field is required.")
    assert response.context["errors"][-1] == (
        "id_anyone_disabled_0",
        "Does anyone in your household have a registered disability (등록장애인)?: Choose yes or no.")


def test_rent_is_required_only_for_a_monthly_rent_home(client, draft):
    # given
    for step, data in STEPS[:4]:
        client.post(_url(draft, step), data)
    # when
    refused = client.post(_url(draft, "housing"), {"tenure": "rent", "monthly_rent": ""})
    accepted = client.post(_url(draft, "housing"), {"tenure": "jeonse", "monthly_rent": "500,000"})
    # then
    assert refused.context["form"].errors == {"monthly_rent": ["매달 내는 월세를 입력하세요."]}
    assert accepted.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["housing"] == {"tenure": "jeonse", "monthly_rent": 0}


def test_answers_make_a_complete_household_in_the_engine_format(client, draft):
    # when
    _answer_all(client, draft)
    # then
    draft.refresh_from_db()
    assert draft.steps_done == ["about", "members", "details", "income", "housing", "assets", "situation"]
    doc = screening.household_doc(draft.answers, dt.date.today())
    assert doc["region"] == {"sido": "서울특별시", "sigungu": "관악구"}
    assert doc["members"][0] == {
        "relation": "self", "birth_date": "1988-04-02", "disability": "none", "pregnant": False, "school": "none",
        "income": {"earned": 1200000, "business": 0, "public_transfer": 0, "private_transfer": 0, "property": 0}}
    assert doc["members"][2]["school"] == "elementary"
    assert doc["members"][3]["income"] == dict.fromkeys(forms.INCOME_KINDS, 0)  # the baby was not asked
    assert doc["housing"] == {"tenure": "rent", "monthly_rent": 300000}
    assert doc["assets"] == {"housing": 20000000, "general": 0, "financial": 2000000, "car_value": 0,
                             "car_cc": 0, "debt": 0}
    # not asked: single parent (a spouse lives here), basic pension (nobody is 65), both work (the incomes say)
    assert doc["status"] == {"nbls_recipient": False, "near_poor": False, "single_parent": False,
                             "basic_pension_recipient": False, "dual_income": False}
    parse_household(doc)  # the engine takes it as it is


def test_the_last_step_leads_to_the_recap_with_every_answer(client, draft):
    # when
    _answer_all(client, draft)
    response = client.get(_url(draft, "review"))
    # then
    sections = {s.step: s.rows for s in response.context["sections"]}
    assert sections["about"] == [("사는 곳", "서울특별시 관악구"), ("가구원 수", "4"), ("등록장애인 가구원", "아니오")]
    assert sections["income"] == [("가구원 1", "월 1,200,000원"), ("가구원 2", "월 0원"),
                                  ("가구원 3", "묻지 않음: 15세 미만"), ("가구원 4", "묻지 않음: 15세 미만")]
    assert sections["situation"][-1] == ("본인과 배우자 모두 일함", "아니오 (소득 답변에서)")
    assert response.context["complete"] is True
    assert f"/benefits/check/{draft.token}/results/" in response.content.decode()


def test_changing_one_answer_from_the_recap_returns_to_the_recap(client, draft):
    # given
    _answer_all(client, draft)
    # when
    response = client.post(_url(draft, "assets"), {**ASSETS, "debt": "5,000,000", "then": "review"})
    # then
    assert response["Location"] == _url(draft, "review")
    draft.refresh_from_db()
    assert draft.answers["assets"]["debt"] == 5000000
    assert draft.answers["members"][0]["income"]["earned"] == 1200000


def test_a_step_shows_what_was_answered_before(client, draft):
    # given
    _answer_all(client, draft)
    # when
    response = client.get(_url(draft, "income"))
    # then
    assert response.context["form"].forms[0]["earned"].value() == "1,200,000"
    assert 'value="1,200,000"' in response.content.decode()


# ---- results ---------------------------------------------------------------------------------------

def test_results_group_outcomes_with_amounts_reasons_and_a_monthly_total(client, catalogue, draft):
    # given
    _answer_all(client, draft)
    # when
    response = client.get(_url(draft, "results"))
    # then
    results = response.context["results"]
    eligible = {i.code: i.amount for i in results.groups["eligible"]}
    likely = {i.code: i.amount for i in results.groups["likely"]}
    assert eligible["child_allowance"] == 200000
    assert likely["nbls_livelihood"] > 0
    months = [i.amount for g in ("eligible", "likely") for i in results.groups[g] if i.period == "month" and i.amount]
    assert results.monthly_total == sum(months)
    page = response.content.decode()
    assert "아동수당" in page and "200,000원" in page
    assert f"{results.monthly_total:,}원" in page
    assert f'action="/benefits/check/{draft.token}/join/"' in page  # the invitation to join carries the answers


def test_a_repeated_view_is_served_from_the_page_cache_with_one_small_query(client, catalogue, draft,
                                                                           django_assert_max_num_queries):
    # given
    _answer_all(client, draft)
    first = client.get(_url(draft, "results"))  # screens, renders, keeps the page
    # when
    with django_assert_max_num_queries(2, info="the draft's version; the catalogue version at most once a second"):
        again = client.get(_url(draft, "results"))
    # then: the same page, each with its own CSRF token
    assert again.context is None  # not rendered again
    tokens = [r.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0] for r in (first, again)]
    assert tokens[0] != tokens[1] and all(len(t) == 64 for t in tokens)
    assert again.content.decode().replace(tokens[1], "") == first.content.decode().replace(tokens[0], "")
    assert page_cache.CSRF_STAND_IN not in again.content.decode()


def test_a_first_view_reads_the_draft_twice_at_most(client, catalogue, draft, django_assert_max_num_queries):
    # given
    _answer_all(client, draft)
    published()  # the catalogue is built once per process
    # when
    with django_assert_max_num_queries(3, info="the draft's version, the draft, the catalogue version"):
        response = client.get(_url(draft, "results"))
    # then
    assert response.status_code == 200 and response.context["results"].monthly_total > 0


def test_results_of_an_unfinished_check_send_to_the_recap(client, draft):
    # when
    response = client.get(_url(draft, "results"))
    # then
    assert response["Location"] == _url(draft, "review")


def test_the_print_view_lists_benefits_to_ask_about_with_the_code(client, catalogue, draft):
    # given
    _answer_all(client, draft)
    # when
    response = client.get(f"/en/benefits/check/{draft.token}/print/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert draft.code in page
    assert "Child allowance" in page or "child allowance" in page.lower()
    assert 'src="/static/js/print.js"' in page


# ---- resuming ----------------------------------------------------------------------------------------

def test_a_code_read_out_at_a_counter_opens_the_recap(client, draft):
    # when
    spaced = f"{draft.code[:4].lower()}-{draft.code[4:].lower()}"
    response = client.post("/benefits/check/resume/", {"code": spaced})
    # then
    assert response["Location"] == _url(draft, "review")


def test_an_unknown_code_is_refused_next_to_the_field(client, draft):
    # when
    response = client.post("/en/benefits/check/resume/", {"code": "ZZZZZZZZ"})
    # then
    assert response.status_code == 400
    assert response.context["resume_form"].errors == {
        "code": ["No saved check has this code. Codes expire 7 days after the last answer."]}


def test_an_expired_draft_cannot_be_opened(client, draft):
    # given
    ScreeningDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    # when
    by_link = client.get(_url(draft, "review"))
    by_code = client.post("/benefits/check/resume/", {"code": draft.code})
    # then
    assert by_link.status_code == 404
    assert by_code.status_code == 400


def test_results_follow_a_changed_answer_despite_the_cache(client, catalogue, draft):
    # given
    _answer_all(client, draft)
    before = client.get(_url(draft, "results")).content.decode()
    # when: the earner now makes 9,000,000 won a month
    client.post(_url(draft, "income"), {**INCOME, "i-0-period": "month", "i-0-earned": "9,000,000"})
    after = client.get(_url(draft, "results"))
    # then
    assert "생계급여" in before.split('id="g-needs"')[0]
    likely = {i.code for i in after.context["results"].groups["likely"]}
    assert "nbls_livelihood" not in likely
    assert after.content.decode() != before


def test_not_eligible_benefits_are_listed_with_reasons_on_request(client, catalogue, draft):
    # given
    _answer_all(client, draft)
    # when
    folded = client.get(_url(draft, "results")).content.decode()
    shown = client.get(_url(draft, "results"), {"show": "ineligible"}).content.decode()
    # then
    assert 'href="?show=ineligible#g-no"' in folded and "outcome-ineligible" not in folded
    assert "outcome-ineligible" in shown and "미충족" in shown


def test_step_and_recap_pages_read_only_the_draft(client, draft, django_assert_max_num_queries):
    # given
    _answer_all(client, draft)
    # then
    with django_assert_max_num_queries(3, info="savepoint, the draft, release"):
        assert client.get(_url(draft, "income")).status_code == 200
    with django_assert_max_num_queries(1, info="the draft"):
        assert client.get(_url(draft, "review")).status_code == 200


# ---- the page cache --------------------------------------------------------------------------------

def test_a_kept_page_is_not_served_once_the_draft_expired(client, catalogue, draft):
    # given
    _answer_all(client, draft)
    assert client.get(_url(draft, "results")).status_code == 200
    # when
    ScreeningDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    # then
    assert client.get(_url(draft, "results")).status_code == 404


def test_a_signed_in_reader_gets_their_own_page_not_the_one_kept_for_everyone(client, catalogue, draft, citizen):
    # given: the page kept for signed-out readers
    _answer_all(client, draft)
    kept = client.get(_url(draft, "results")).content.decode()
    # when
    client.force_login(citizen)
    response = client.get(_url(draft, "results"))
    # then
    assert response.context is not None  # rendered for this reader
    page = response.content.decode()
    assert "/membership/logout/" in page and "/membership/logout/" not in kept


def test_a_page_with_a_message_waiting_is_rendered_and_the_message_shown_once(client, catalogue, draft):
    # given
    _answer_all(client, draft)
    client.get(_url(draft, "results"))
    client.cookies["messages"] = CookieStorage(HttpRequest())._encode([Message(constants.INFO, "잠시 후 다시 확인하세요.")])
    # when
    with_message = client.get(_url(draft, "results"))
    after = client.get(_url(draft, "results"))
    # then
    assert "잠시 후 다시 확인하세요." in with_message.content.decode()
    assert "잠시 후 다시 확인하세요." not in after.content.decode()


def test_a_published_rule_change_reaches_a_kept_page(client, catalogue, draft, admin_user):
    # given
    _answer_all(client, draft)
    before = client.get(_url(draft, "results")).content.decode()
    rule = services.rule_new_version(rule=Rule.objects.get(code="child_allowance.age"), acting_user=admin_user)
    # when: the allowance is for children under 1 from now on
    rule.conditions.update(parameter="", value="1")
    services.rule_publish(rule=rule, acting_user=admin_user)
    published(max_age=0)
    after = client.get(_url(draft, "results"))
    # then
    assert 'id="r-child_allowance"' in before.split('id="g-likely"')[0]
    assert "child_allowance" not in {i.code for i in after.context["results"].groups["eligible"]}

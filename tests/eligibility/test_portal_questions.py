"""Never asking twice: each step asks only what earlier answers leave open, and the household the
engine reads is still complete (what was not asked is filled with what is certain)."""
import datetime as dt

import pytest

from eligibility import forms, questions, screening, services
from eligibility.engine.household import parse_household
from eligibility.models import ScreeningDraft

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _born(years: int) -> str:
    """The birth date of someone `years` old today (a birthday a month ago)."""
    month_ago = TODAY - dt.timedelta(days=31)
    return dt.date(month_ago.year - years, month_ago.month, min(month_ago.day, 28)).isoformat()


def _url(draft: ScreeningDraft, page: str) -> str:
    return f"/benefits/check/{draft.token}/{page}/"


def _about(client, draft, size: int, anyone_disabled: str = "no"):
    return client.post(_url(draft, "about"), {"sido": "경기도", "sigungu": "양평군", "household_size": str(size),
                                              "anyone_disabled": anyone_disabled})


def _members(client, draft, people: list[tuple[str, int]]):
    data = {"m-0-birth_date": _born(people[0][1])}
    for i, (relation, years) in enumerate(people[1:], 1):
        data |= {f"m-{i}-relation": relation, f"m-{i}-birth_date": _born(years)}
    return client.post(_url(draft, "members"), data)


@pytest.fixture
def draft(db) -> ScreeningDraft:
    return services.screening_draft_start()


def _fields(formset) -> list[list[str]]:
    return [list(form.fields) for form in formset.forms]


def test_a_one_person_household_is_asked_no_relation(client, draft):
    # given
    _about(client, draft, 1)
    # when
    response = client.get(_url(draft, "members"))
    # then
    assert _fields(response.context["form"]) == [["birth_date"]]
    assert 'name="m-0-relation"' not in response.content.decode()


def test_school_is_asked_at_school_ages_and_pregnancy_where_it_can_happen(client, draft):
    # given: you 40, a child of 3, a child of 10, your parent of 70
    _about(client, draft, 4)
    _members(client, draft, [("self", 40), ("child", 3), ("child", 10), ("parent", 70)])
    # when
    response = client.get(_url(draft, "details"))
    # then: nothing is asked about the child of 3 or the parent of 70
    formset = response.context["form"]
    assert _fields(formset) == [["pregnant"], ["school"]]
    assert [form.person for form in formset.forms] == [(1, "본인"), (3, "자녀")]
    page = response.content.decode()
    assert 'name="d-0-pregnant"' in page and 'name="d-1-school"' in page
    assert "disability" not in page.split('class="step-form"')[1]


def test_a_household_with_nothing_to_ask_per_person_skips_that_step(client, draft):
    # given: one person of 70, no registered disability
    _about(client, draft, 1)
    # when
    saved = _members(client, draft, [("self", 70)])
    skipped = client.get(_url(draft, "details"))
    # then
    assert saved["Location"] == _url(draft, "income")
    assert skipped["Location"] == _url(draft, "income")
    income = client.get(_url(draft, "income"))
    assert [s.name for s in income.context["progress"]] == [
        "about", "members", "income", "housing", "assets", "situation"]
    assert (income.context["number"], income.context["total"]) == (3, 6)


def test_the_degree_of_disability_is_asked_only_when_someone_has_one(client, draft):
    # given
    _about(client, draft, 2, anyone_disabled="yes")
    _members(client, draft, [("self", 70), ("spouse", 68)])
    # when: every person is asked, and "nobody" contradicts the first answer
    asked = client.get(_url(draft, "details"))
    refused = client.post(_url(draft, "details"), {"d-0-disability": "none", "d-1-disability": "none"})
    accepted = client.post(_url(draft, "details"), {"d-0-disability": "none", "d-1-disability": "severe"})
    # then
    assert _fields(asked.context["form"]) == [["disability"], ["disability"]]
    assert refused.status_code == 200
    assert refused.context["form"].non_form_errors() == [
        "가구원 중 등록장애인이 있다고 답하셨습니다. 누구인지 고르거나, 첫 단계의 답을 고치세요."]
    assert accepted["Location"] == _url(draft, "income")
    draft.refresh_from_db()
    assert [m["disability"] for m in questions.household_doc(draft.answers, TODAY)["members"]] == ["none", "severe"]


def test_an_answer_no_longer_asked_no_longer_counts(client, draft):
    # given: a disability answered, then the first answer changed to "nobody"
    _about(client, draft, 1, anyone_disabled="yes")
    _members(client, draft, [("self", 70)])
    client.post(_url(draft, "details"), {"d-0-disability": "severe"})
    # when
    _about(client, draft, 1, anyone_disabled="no")
    # then
    draft.refresh_from_db()
    assert draft.answers["members"][0]["disability"] == "severe"  # kept, in case the answer changes back
    assert questions.household_doc(draft.answers, TODAY)["members"][0]["disability"] == "none"


def test_income_is_asked_of_you_and_of_everyone_from_15_only(client, draft):
    # given: you 40, a child of 16, a child of 14
    _about(client, draft, 3)
    _members(client, draft, [("self", 40), ("child", 16), ("child", 14)])
    client.post(_url(draft, "details"), {"d-1-school": "high", "d-2-school": "middle"})
    # when
    response = client.get(_url(draft, "income"))
    # then
    assert [form.person[0] for form in response.context["form"].forms] == [1, 2]
    assert screening.income_people(ScreeningDraft.objects.get(pk=draft.pk).answers, TODAY) == [0, 1]


def _answers(people: list[tuple[str, int]], tenure: str = "own", status: dict | None = None, **extra) -> dict:
    members = [{"relation": r, "birth_date": _born(a), "income": {"earned": 0}} for r, a in people]
    return {"region": {"sido": "서울특별시", "sigungu": ""}, "household_size": len(people),
            "anyone_disabled": False, "members": members, "housing": {"tenure": tenure, "monthly_rent": 0},
            "assets": {"housing": 0}, "home_basis": questions.home_basis({"housing": {"tenure": tenure}}),
            "status": status or {"nbls_recipient": False, "near_poor": False}, **extra}


@pytest.mark.parametrize(("people", "expected"), [
    ([("self", 40)], ["nbls_recipient", "near_poor", "crisis_event", "job_seeker", "veteran"]),
    ([("self", 40), ("child", 5)],
     ["nbls_recipient", "near_poor", "single_parent", "crisis_event", "job_seeker", "veteran"]),
    ([("self", 40), ("spouse", 40), ("child", 5)],
     ["nbls_recipient", "near_poor", "crisis_event", "job_seeker", "veteran"]),
    ([("self", 70), ("spouse", 69), ("grandchild", 9)],
     ["nbls_recipient", "near_poor", "single_parent", "crisis_event", "job_seeker", "veteran",
      "basic_pension_recipient", "occupational_pension"]),
    ([("self", 72), ("child", 45)],
     ["nbls_recipient", "near_poor", "crisis_event", "job_seeker", "veteran", "basic_pension_recipient",
      "occupational_pension"]),
    ([("self", 50), ("parent", 80)],
     ["nbls_recipient", "near_poor", "crisis_event", "job_seeker", "veteran", "basic_pension_recipient"]),
])
def test_the_situation_step_asks_only_what_the_people_leave_open(people, expected):
    assert list(questions.situation_questions(_answers(people), TODAY)) == expected


def test_both_work_is_never_asked_but_worked_out_from_the_incomes():
    # given
    answers = _answers([("self", 40), ("spouse", 38)])
    answers["members"][0]["income"] = {"earned": 2000000}
    # when
    one_earner = questions.household_doc(answers, TODAY)["status"]["dual_income"]
    answers["members"][1]["income"] = {"business": 500000}
    two_earners = questions.household_doc(answers, TODAY)["status"]["dual_income"]
    # then
    assert "dual_income" not in questions.situation_questions(answers, TODAY)
    assert (one_earner, two_earners) == (False, True)


def test_a_recipient_of_basic_livelihood_security_is_not_asked_about_near_poor_status(client, draft):
    # given
    services.screening_draft_save_step(draft=draft, step="about", answers=_answers([("self", 60)]))
    for step in ("members", "housing", "assets"):
        services.screening_draft_save_step(draft=draft, step=step, answers={})
    # when
    response = client.post(_url(draft, "situation"), {"nbls_recipient": "yes"})
    # then
    assert response["Location"] == _url(draft, "review")
    draft.refresh_from_db()
    assert draft.answers["status"] == {"nbls_recipient": True, "near_poor": False}


def test_the_home_is_asked_as_its_value_its_deposit_or_not_at_all(client, draft):
    # given
    services.screening_draft_save_step(draft=draft, step="about", answers=_answers([("self", 60)]))
    for step in ("members", "housing"):
        draft = services.screening_draft_save_step(draft=draft, step=step, answers={})
    labels = {}
    for tenure in ("own", "jeonse", "free"):
        # when
        ScreeningDraft.objects.filter(pk=draft.pk).update(answers={**draft.answers, "housing": {"tenure": tenure}})
        form = client.get(_url(draft, "assets")).context["form"]
        labels[tenure] = str(form.fields["housing"].label) if "housing" in form.fields else None
    # then
    assert labels == {"own": "소유한 집", "jeonse": "임차 보증금", "free": None}


def test_a_changed_answer_that_opens_a_question_asks_it_before_the_results(client, draft):
    # given: a complete check of a couple, the details asked
    answers = _answers([("self", 70), ("spouse", 68)])
    for step in ("about", "members", "details", "income", "housing", "assets", "situation"):
        services.screening_draft_save_step(draft=draft, step=step, answers=answers)
    assert screening.is_complete(ScreeningDraft.objects.get(pk=draft.pk).answers, list(screening.STEPS), TODAY)
    # when: the second person is a child of 10 after all
    response = client.post(_url(draft, "members"), {
        "m-0-birth_date": _born(70), "m-1-relation": "child", "m-1-birth_date": _born(10)})
    # then: the school of the child and 'single parent' are asked; the results wait for them
    assert response["Location"] == _url(draft, "details")
    assert client.get(_url(draft, "results"))["Location"] == _url(draft, "review")
    client.post(_url(draft, "details"), {"d-0-school": "elementary"})
    assert client.get(_url(draft, "review")).context["missing"] == "situation"


def test_the_recap_lets_every_answer_asked_be_changed(client, draft):
    # given
    answers = _answers([("self", 40), ("child", 8)])
    answers["members"][0]["pregnant"] = False
    answers["members"][1]["school"] = "elementary"
    answers["status"]["single_parent"] = True
    for step in screening.STEPS:
        services.screening_draft_save_step(draft=draft, step=step, answers=answers)
    # when
    response = client.get(_url(draft, "review"))
    # then
    page = response.content.decode()
    for step in screening.STEPS:
        assert f'href="/benefits/check/{draft.token}/{step}/"' in page
    rows = {s.step: s.rows for s in response.context["sections"]}
    assert rows["details"] == [("가구원 1", "임신 중 아님"), ("가구원 2", "초등학교")]
    assert rows["situation"][2] == (str(forms.REQUIRED_SITUATIONS["single_parent"]), "예")


@pytest.mark.parametrize("people", [
    [("self", 30)], [("self", 80)], [("self", 40), ("spouse", 40), ("child", 1), ("child", 12), ("child", 17)],
    [("self", 70), ("grandchild", 15)], [("self", 20), ("sibling", 16), ("other", 90)],
])
def test_every_household_shape_gives_the_engine_a_complete_household(people):
    # given: only the questions asked are answered
    answers = _answers(people, tenure="free")
    for member in answers["members"]:
        member.pop("income")
    for member in answers["members"]:
        if questions.asks_income(member, TODAY):
            member["income"] = {"earned": 100}
    asked = questions.situation_questions(answers, TODAY)
    answers["status"] = {k: False for k in asked if k in questions.REQUIRED}
    assert questions.step_done("income", answers, [], TODAY)
    # when
    doc = questions.household_doc(answers, TODAY)
    household = parse_household(doc)
    # then
    assert len(household.members) == len(people)
    assert {"nbls_recipient", "near_poor", "single_parent", "dual_income"} <= set(doc["status"])
    assert doc["assets"]["housing"] == 0
    assert all(set(m) == {"relation", "birth_date", "disability", "school", "pregnant", "income"}
               for m in doc["members"])


def test_a_check_saved_before_a_question_existed_asks_it_before_the_results(client, draft):
    # given: answers saved without the household's disability question, a severe disability recorded
    answers = _answers([("self", 60)])
    del answers["anyone_disabled"]
    answers["members"][0]["disability"] = "severe"
    for step in screening.STEPS:
        services.screening_draft_save_step(draft=draft, step=step, answers=answers)
    # when
    response = client.get(_url(draft, "results"))
    # then
    assert response["Location"] == _url(draft, "review")
    assert client.get(_url(draft, "review")).context["missing"] == "about"

"""Rule editors: conditions are checked against the engine's catalogues; publishing runs the tests."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from eligibility import services
from eligibility.models import Benefit, Condition, Parameter, ParameterValue, Rule, RuleTestCase, Status
from membership.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_parameters(db) -> None:
    """The seed's parameters only: fact derivation (income recognition) needs them on every date."""
    import yaml

    from eligibility.catalogue import SEED_PATH

    data = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
    services.catalogue_import(data={"parameters": data["parameters"]}, acting_user=None)


@pytest.fixture
def child_allowance(seed_parameters) -> Benefit:
    """A small published benefit of our own: children under 9 get 100,000 won a month each."""
    age_limit = Parameter.objects.create(name="test_child_age_limit", unit="years")
    ParameterValue.objects.create(parameter=age_limit, valid_from=dt.date(2026, 1, 1), value=9,
                                  status=Status.PUBLISHED, legal_reference="아동수당법 제4조")
    amount = Parameter.objects.create(name="test_child_amount", unit="krw_month")
    ParameterValue.objects.create(parameter=amount, valid_from=dt.date(2026, 1, 1), value=100000,
                                  status=Status.PUBLISHED, legal_reference="아동수당법 제4조")
    benefit = Benefit.objects.create(
        code="test_child_allowance", name_ko="아동수당", name_en="Child allowance", amount_formula="per_member_under_age",
        amount_params={"amount": "test_child_amount", "age_limit": "test_child_age_limit"},
    )
    rule = Rule.objects.create(benefit=benefit, code="test_child_allowance.age", status=Status.PUBLISHED, outcome="eligible",
                               valid_from=dt.date(2026, 1, 1), legal_reference="아동수당법 제4조")
    Condition.objects.create(rule=rule, fact="age_years", operator="lt", value="9", quantifier="any")
    return benefit


def _household(child_birth: str) -> dict:
    zero = {"earned": 0, "business": 0, "property": 0, "public_transfer": 0, "private_transfer": 0}
    return {
        "region": {"sido": "서울특별시", "sigungu": "관악구"}, "housing": {"tenure": "rent", "monthly_rent": 0},
        "members": [
            {"relation": "self", "birth_date": "1990-01-01", "disability": "none", "pregnant": False, "school": None,
             "income": zero},
            {"relation": "child", "birth_date": child_birth, "disability": "none", "pregnant": False, "school": None,
             "income": zero},
        ],
        "assets": {"housing": 0, "general": 0, "financial": 0, "car_value": 0, "car_cc": 0, "debt": 0},
        "status": {"nbls_recipient": False, "near_poor": False, "single_parent": False},
    }


def _condition(**fields) -> Condition:
    rule = Rule.objects.first()
    return Condition(rule=rule, **{"value": "", "parameter": "", "basis": "", "quantifier": "", **fields})


@pytest.mark.parametrize(
    ("fields", "field", "ko", "en"),
    [
        ({"fact": "shoe_size", "operator": "lt", "value": "9"}, "fact", "알 수 없는 사실", "unknown fact"),
        ({"fact": "housing_tenure", "operator": "lt", "value": "rent"}, "operator", "쓸 수 없습니다", "does not apply"),
        ({"fact": "age_years", "operator": "between", "value": "[1]", "quantifier": "any"}, "value", "두 수", "two numbers"),
        ({"fact": "housing_tenure", "operator": "eq", "value": "castle"}, "value", "없는 값", "not a value"),
        ({"fact": "total_income", "operator": "lte", "parameter": "nope"}, "parameter", "매개변수", "parameter"),
    ],
)
def test_a_wrong_condition_is_refused_naming_the_field_in_the_editors_language(child_allowance, fields, field, ko, en):
    for language, words in (("ko", ko), ("en", en)):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                _condition(**fields).full_clean()
            messages = " ".join(str(m) for m in refused.value.message_dict.get(field, []))
        assert words in messages, (language, refused.value.message_dict)


def test_publishing_a_draft_that_breaks_a_test_case_is_refused_and_changes_nothing(child_allowance, admin_user):
    # given: a test case says a 7-year-old gets the allowance, and a draft lowers the age to 6
    RuleTestCase.objects.create(benefit=child_allowance, name="7세 아동", as_of=dt.date(2026, 3, 1),
                                household=_household("2018-06-01"), expected_outcome="eligible",
                                expected_amount=100000)
    published = Rule.objects.get()
    draft = services.rule_new_version(rule=published, acting_user=admin_user)
    draft.conditions.update(value="6")
    # when
    with pytest.raises(services.PublishRefused) as refused:
        services.rule_publish(rule=draft, acting_user=admin_user)
    # then
    assert "7세 아동" in refused.value.failures[0]
    assert Rule.objects.get(pk=published.pk).status == Status.PUBLISHED
    assert Rule.objects.get(pk=draft.pk).status == Status.DRAFT
    assert not AuditEvent.objects.filter(action="rule_publish").exists()


def test_publishing_a_passing_draft_retires_the_old_version_and_keeps_history(child_allowance, admin_user):
    # given
    RuleTestCase.objects.create(benefit=child_allowance, name="7세 아동", as_of=dt.date(2026, 3, 1),
                                household=_household("2018-06-01"), expected_outcome="eligible")
    published = Rule.objects.get()
    draft = services.rule_new_version(rule=published, acting_user=admin_user)
    draft.conditions.update(value="10")
    # when
    services.rule_publish(rule=draft, acting_user=admin_user)
    # then
    assert list(Rule.objects.order_by("version").values_list("version", "status")) == [
        (1, Status.RETIRED), (2, Status.PUBLISHED)]
    assert AuditEvent.objects.filter(action="rule_publish", actor=admin_user, target_id=str(draft.pk)).exists()


def test_a_published_rule_cannot_be_edited_in_admin(client, admin_user, child_allowance):
    # given
    client.force_login(admin_user)
    rule = Rule.objects.get()
    # when
    response = client.post(f"/admin/eligibility/rule/{rule.pk}/change/", {"label_ko": "changed"})
    # then
    assert response.status_code == 403
    assert Rule.objects.get().label_ko == ""


def test_admin_preview_screens_a_sample_household_with_reasons(client, admin_user, child_allowance):
    # given
    import json

    client.force_login(admin_user)
    # when
    response = client.post(f"/admin/eligibility/benefit/{child_allowance.pk}/preview/",
                           {"as_of": "2026-03-01", "household": json.dumps(_household("2018-06-01"))})
    # then
    assert response.status_code == 200
    assert "eligible" in response.text and "100000" in response.text


def test_admin_preview_names_the_bad_field_of_a_sample_household(client, admin_user, child_allowance):
    import json

    client.force_login(admin_user)
    household = _household("2018-02-30")
    response = client.post(f"/admin/eligibility/benefit/{child_allowance.pk}/preview/",
                           {"as_of": "2026-03-01", "household": json.dumps(household)})
    assert response.status_code == 200
    assert "members[1].birth_date" in response.text


def test_citizens_and_caseworkers_cannot_reach_the_rule_admin(client, citizen, caseworker, child_allowance):
    for user in (citizen, caseworker):
        client.force_login(user)
        response = client.get(f"/admin/eligibility/benefit/{child_allowance.pk}/preview/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_publishing_is_refused_when_a_test_case_date_has_no_published_figures(child_allowance, admin_user):
    # given: a case in 2030, for which no median income is published
    RuleTestCase.objects.create(benefit=child_allowance, name="2030년 사례", as_of=dt.date(2030, 3, 1),
                                household=_household("2025-06-01"), expected_outcome="eligible")
    draft = services.rule_new_version(rule=Rule.objects.get(), acting_user=admin_user)
    # when
    with pytest.raises(services.PublishRefused) as refused:
        services.rule_publish(rule=draft, acting_user=admin_user)
    # then
    assert "2030년 사례" in refused.value.failures[0] and "median_income" in refused.value.failures[0]
    assert Rule.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_keyword_added_in_admin_is_found_by_the_portal_search(child_allowance, admin_user, rf):
    # given
    from django.contrib.admin.sites import site

    from eligibility.admin import BenefitAdmin
    from eligibility.selectors import benefits_find

    model_admin = BenefitAdmin(Benefit, site)
    request = rf.post("/admin/")
    request.user = admin_user
    form_class = model_admin.get_form(request, child_allowance, change=True)
    data = {f: getattr(child_allowance, f) for f in form_class.base_fields if f != "tags"}
    data.update(keywords_ko="양육지원금", documents_ko="[]", documents_en="[]", sources="[]", amount_params="{}",
                tags=[])
    form = form_class(data, instance=child_allowance)
    assert form.is_valid(), form.errors
    # when
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    model_admin.save_related(request, form, [], change=True)
    # then
    assert [b.code for b in benefits_find(query="양육 지원금을")] == ["test_child_allowance"]

"""Operators, validation messages, quantifier semantics, outcome aggregation and reasons."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from eligibility.engine.batch import columns_from_households, evaluate_batch
from eligibility.engine.catalogue import FACTS, OPERATORS
from eligibility.engine.evaluate import screen
from eligibility.engine.rules import ConditionError, validate_condition

from .sample import catalogue, household, member

MAR_2026 = dt.date(2026, 3, 1)


def _benefit(*rules, code="b"):
    return {"code": code, "name_ko": "급여", "name_en": "benefit", "rules": [
        {"code": f"{code}.{i}", "outcome": r.get("outcome", "eligible"), "conditions": r["conditions"],
         **{k: v for k, v in r.items() if k not in ("outcome", "conditions")}} for i, r in enumerate(rules)]}


def _outcomes(h, *rules):
    """Return (scalar match, vectorised outcome code) for one household and one benefit."""
    cat = catalogue([_benefit(*rules)])
    match = screen(h, cat.benefits, cat.parameters, MAR_2026).match("b")
    code = evaluate_batch(columns_from_households([h]), cat.benefits, cat.parameters, MAR_2026).outcome("b")[0]
    return match, int(code)


# ---- operators -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("fact", "operator", "value", "expected"), [
    ("household_size", "eq", 2, True), ("household_size", "ne", 2, False),
    ("household_size", "lt", 3, True), ("household_size", "lt", 2, False),
    ("household_size", "lte", 2, True), ("household_size", "gt", 1, True), ("household_size", "gt", 2, False),
    ("household_size", "gte", 3, False), ("household_size", "between", [2, 4], True),
    ("household_size", "between", [3, 4], False),
    ("monthly_rent", "lte", 300_000, True), ("monthly_rent", "lt", 300_000, False),
    ("median_ratio_nbls", "lte", "33.34", True), ("median_ratio_nbls", "lt", "33.34", False),
    ("median_ratio_nbls", "gt", "33.33", True), ("median_ratio_nbls", "eq", "33.340", True),
    ("median_ratio_nbls", "between", ["33.35", 50], False),
    ("region_nbls", "eq", "seoul", True), ("region_nbls", "ne", "seoul", False),
    ("region_nbls", "in", ["metro", "seoul"], True), ("region_nbls", "not_in", ["metro", "seoul"], False),
    ("capital_area", "is_true", None, True), ("capital_area", "is_false", None, False),
    ("capital_area", "eq", True, True), ("single_parent", "ne", True, True),
])
def test_every_operator_in_both_evaluators(fact, operator, value, expected):
    # given: 2 members in 서울, recognised income 1,400,000 -> 33.34 % of the 2-person median
    h = household([member(income={"earned": 2_000_000}), member("spouse")])
    # when
    match, code = _outcomes(h, {"conditions": [{"fact": fact, "operator": operator, "value": value}]})
    # then
    assert match.outcome == ("eligible" if expected else "ineligible")
    assert code == (3 if expected else 0)


def test_operator_table_declares_types_for_every_operator():
    assert set(OPERATORS) == {"eq", "ne", "lt", "lte", "gt", "gte", "between", "in", "not_in", "is_true", "is_false"}
    assert OPERATORS["in"].types == frozenset({"enum"})


# ---- validation ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "field", "ko", "en"), [
    ({"fact": "salary", "operator": "lte", "value": 1}, "fact", "알 수 없는 사실", "unknown fact"),
    ({"fact": "region_nbls", "operator": "lte", "value": 1}, "operator", "쓸 수 없습니다", "does not apply"),
    ({"fact": "capital_area", "operator": "between", "value": [1, 2]}, "operator", "쓸 수 없습니다",
     "does not apply"),
    ({"fact": "household_size", "operator": "eq", "value": "two"}, "value", "숫자가 아닙니다", "not a number"),
    ({"fact": "household_size", "operator": "eq", "value": 2.5}, "value", "정수", "whole number"),
    ({"fact": "monthly_rent", "operator": "between", "value": [1]}, "value", "두 수", "two numbers"),
    ({"fact": "monthly_rent", "operator": "between", "value": 5}, "value", "두 수", "two numbers"),
    ({"fact": "monthly_rent", "operator": "between", "value": [5, 1]}, "value", "하한", "low bound"),
    ({"fact": "region_nbls", "operator": "eq", "value": "busan"}, "value", "없는 값", "not a value of"),
    ({"fact": "region_nbls", "operator": "in", "value": ["seoul", "mars"]}, "value", "없는 값", "not a value"),
    ({"fact": "capital_area", "operator": "eq", "value": "maybe"}, "value", "true 또는 false", "true or false"),
    ({"fact": "capital_area", "operator": "is_true", "value": True}, "value", "값을 쓰지 않습니다", "no value"),
    ({"fact": "monthly_rent", "operator": "lte"}, "value", "값이 없습니다", "value is required"),
    ({"fact": "age_years", "operator": "gte", "value": 65, "quantifier": "most"}, "quantifier", "수량", "quantifier"),
    ({"fact": "age_years", "operator": "gte", "value": 65, "quantifier": "count_at_least"}, "min_count",
     "min_count", "min_count"),
    ({"fact": "monthly_rent", "operator": "gte", "value": 1, "quantifier": "any"}, "quantifier", "가구 항목",
     "household fact"),
    ({"fact": "age_years", "operator": "gte", "parameter": "p", "basis": "median_pct"}, "basis", "금액", "money"),
])
def test_validate_condition_names_the_field_in_korean_and_english(kwargs, field, ko, en):
    # when
    with pytest.raises(ConditionError) as err:
        validate_condition(kwargs.pop("fact"), kwargs.pop("operator"), kwargs.pop("value", None), **kwargs)
    # then
    assert err.value.field == field
    assert ko in err.value.message_ko and en in err.value.message_en
    assert str(err.value).startswith(f"{field}: ")


def test_validate_condition_parses_admin_strings():
    assert validate_condition("monthly_rent", "between", "[100000, 500000]").value == (Decimal(100000),
                                                                                      Decimal(500000))
    assert validate_condition("region_nbls", "in", "seoul, metro").value == ("seoul", "metro")
    assert validate_condition("capital_area", "eq", "true").value is True
    assert validate_condition("monthly_rent", "lte", "820,556").value == Decimal(820556)
    assert validate_condition("age_years", "gte", 65).quantifier == "any"


# ---- quantifiers and groups ----------------------------------------------------------------------

FAMILY = [member(birth="1980-01-01"), member("spouse", "1982-01-01", disability="severe"),
          member("child", "2015-01-01"), member("child", "2020-01-01", disability="severe")]


@pytest.mark.parametrize(("conditions", "expected"), [
    # any: a member aged 18+ with a severe disability -> the spouse
    ([{"fact": "age_years", "operator": "gte", "value": 18, "quantifier": "any", "group": "a"},
      {"fact": "disability", "operator": "eq", "value": "severe", "quantifier": "any", "group": "a"}], True),
    # the same facts in different groups hold separately, in one group per member
    ([{"fact": "age_years", "operator": "lt", "value": 10, "quantifier": "any", "group": "a"},
      {"fact": "disability", "operator": "eq", "value": "severe", "quantifier": "any", "group": "a"}], True),
    ([{"fact": "age_years", "operator": "lt", "value": 6, "quantifier": "any", "group": "a"},
      {"fact": "disability", "operator": "eq", "value": "severe", "quantifier": "any", "group": "a"}], False),
    ([{"fact": "age_years", "operator": "lt", "value": 6, "quantifier": "any", "group": "a"},
      {"fact": "disability", "operator": "eq", "value": "severe", "quantifier": "any", "group": "b"}], False),
    ([{"fact": "age_years", "operator": "lt", "value": 7, "quantifier": "any", "group": "a"},
      {"fact": "disability", "operator": "eq", "value": "severe", "quantifier": "any", "group": "b"}], True),
    # all
    ([{"fact": "age_years", "operator": "lt", "value": 50, "quantifier": "all"}], True),
    ([{"fact": "age_years", "operator": "lt", "value": 40, "quantifier": "all"}], False),
    # count_at_least: two children under 19
    ([{"fact": "relation", "operator": "eq", "value": "child", "quantifier": "count_at_least", "min_count": 2},
      {"fact": "age_years", "operator": "lt", "value": 19, "quantifier": "count_at_least", "min_count": 2}], True),
    ([{"fact": "age_years", "operator": "lt", "value": 19, "quantifier": "count_at_least", "min_count": 3}], False),
    ([{"fact": "life_stage", "operator": "in", "value": ["infant", "child"], "quantifier": "count_at_least",
       "min_count": 2}], True),
])
def test_member_quantifiers_and_groups(conditions, expected):
    # given (on 2026-03-01: 46, 44 severe, 11, 6 severe)
    h = household(FAMILY)
    # when
    match, code = _outcomes(h, {"conditions": conditions})
    # then
    assert match.outcome == ("eligible" if expected else "ineligible")
    assert code == (3 if expected else 0)


def test_group_reason_counts_members():
    # given
    h = household(FAMILY)
    # when
    match, _ = _outcomes(h, {"conditions": [
        {"fact": "age_years", "operator": "lt", "value": 19, "quantifier": "count_at_least", "min_count": 3}]})
    # then
    reason = match.reasons[0]
    assert (reason.fact, reason.operator, reason.passed, reason.actual, reason.required) == (
        "age_years", "count_at_least", False, 2, 3)
    assert reason.text_ko == "만 나이 < 19인 가구원: 2명 (기준 3명 이상) — 미충족"
    assert reason.text_en == "Members with age < 19: 2 (required at least 3) — not met"


# ---- outcomes ------------------------------------------------------------------------------------

ALWAYS = {"fact": "household_size", "operator": "gte", "value": 1}
NEVER = {"fact": "household_size", "operator": "gte", "value": 99}
UNKNOWN = {"fact": "crisis_event", "operator": "is_true"}


@pytest.mark.parametrize(("rules", "outcome", "code"), [
    ([{"conditions": [ALWAYS]}], "eligible", 3),
    ([{"conditions": [ALWAYS], "outcome": "likely"}], "likely", 2),
    ([{"conditions": [ALWAYS, UNKNOWN]}], "needs_info", 1),
    ([{"conditions": [NEVER, UNKNOWN]}], "ineligible", 0),
    ([{"conditions": [NEVER]}, {"conditions": [UNKNOWN]}], "needs_info", 1),
    ([{"conditions": [UNKNOWN]}, {"conditions": [ALWAYS], "outcome": "likely"}], "likely", 2),
    ([{"conditions": [ALWAYS], "outcome": "likely"}, {"conditions": [ALWAYS]}], "eligible", 3),
    ([{"conditions": []}], "eligible", 3),
])
def test_best_rule_wins_in_the_order_ineligible_needs_info_likely_eligible(rules, outcome, code):
    # when
    match, vector = _outcomes(household(), *rules)
    # then
    assert (match.outcome, vector) == (outcome, code)


def test_needs_info_names_the_missing_facts():
    # given
    rule = {"conditions": [ALWAYS, UNKNOWN, {"fact": "job_seeker", "operator": "eq", "value": True}]}
    # when
    match, _ = _outcomes(household(status={"veteran": True}), rule)
    # then
    assert match.outcome == "needs_info"
    assert match.missing_facts == ("crisis_event", "job_seeker")
    assert match.reasons[1].text_ko == "위기사유 발생 여부: 알 수 없음 (기준 = 예) — 정보 필요"


def test_known_optional_flag_is_judged():
    match, code = _outcomes(household(status={"crisis_event": False}), {"conditions": [UNKNOWN]})
    assert (match.outcome, code, match.missing_facts) == ("ineligible", 0, ())


def test_rules_out_of_force_are_skipped_and_a_benefit_without_one_is_not_listed():
    # given
    old = {"conditions": [ALWAYS], "valid_to": "2025-12-31"}
    new = {"conditions": [NEVER], "valid_from": "2026-03-01"}
    cat = catalogue([_benefit(old, new), _benefit(old, code="gone")])
    # when
    screening = screen(household(), cat.benefits, cat.parameters, MAR_2026)
    batch = evaluate_batch(columns_from_households([household()]), cat.benefits, cat.parameters, MAR_2026)
    # then
    assert [m.benefit_code for m in screening.matches] == ["b"]
    assert screening.match("b").outcome == "ineligible"
    assert batch.outcome("gone")[0] == -1


# ---- reasons and gaps ----------------------------------------------------------------------------

def test_failed_income_limit_reason_shows_values_and_the_gap():
    # given: 1 person, 소득인정액 1,000,000 a month against 32 % of 2,564,238 = 820,556
    h = household([member(income={"public_transfer": 1_000_000})])
    rule = {"conditions": [{"fact": "recognized_income_nbls", "operator": "lte", "parameter": "nbls_livelihood_pct",
                            "basis": "median_pct"}]}
    # when
    match, _ = _outcomes(h, rule)
    # then
    reason = match.reasons[0]
    assert (reason.passed, reason.actual, reason.required, reason.gap) == (False, 1_000_000, 820_556, 179_444)
    assert reason.text_ko == ("소득인정액: 월 1,000,000원 (기준 ≤ 월 820,556원) — 미충족. "
                              "소득인정액이 월 179,444원 줄면 기준을 충족합니다")
    assert reason.text_en == ("recognised income (NBLS): KRW 1,000,000 a month (required ≤ KRW 820,556 a month)"
                              " — not met. recognised income (NBLS) would have to fall by KRW 179,444 a month"
                              " to meet the limit")


def test_lt_gap_is_one_won_more_and_assets_are_not_monthly():
    # given
    h = household(assets={"financial": 10_000_000})
    rule = {"conditions": [{"fact": "financial_assets", "operator": "lt", "value": 6_000_000}]}
    # when
    match, _ = _outcomes(h, rule)
    # then
    assert match.reasons[0].gap == 4_000_001
    assert match.reasons[0].text_ko.endswith("금융재산이 4,000,001원 줄면 기준을 충족합니다")


def test_every_fact_has_labels_and_a_known_type():
    for fact in FACTS.values():
        assert fact.label_ko and fact.label_en and fact.type in ("int", "money", "percent", "enum", "bool")
        assert fact.type != "enum" or fact.values


def test_batch_outcomes_are_int8():
    cat = catalogue([_benefit({"conditions": [ALWAYS]})])
    result = evaluate_batch(columns_from_households([household()]), cat.benefits, cat.parameters, MAR_2026)
    assert result.outcomes.dtype == np.int8 and result.amounts.dtype == np.int64

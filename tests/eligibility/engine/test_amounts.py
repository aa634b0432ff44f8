"""Estimated amounts of every declared formula, in both evaluators."""

import datetime as dt

import pytest

from eligibility.engine.amounts import AMOUNT_FORMULAS
from eligibility.engine.batch import columns_from_households, evaluate_batch
from eligibility.engine.evaluate import Amount, screen

from .sample import BASIC_PENSION_ROLES, catalogue, household, member

MAR_2026 = dt.date(2026, 3, 1)
ALWAYS = [{"code": "b.all", "conditions": []}]


def _amount(h, formula, params, period="month", as_of=MAR_2026):
    """Return (scalar Amount, vectorised int) for one household of a benefit always eligible."""
    cat = catalogue([{"code": "b", "name_ko": "급여", "name_en": "b", "rules": ALWAYS,
                      "amount": {"formula": formula, "params": params, "period": period}}])
    scalar = screen(h, cat.benefits, cat.parameters, as_of).match("b").estimated_amount
    vector = evaluate_batch(columns_from_households([h]), cat.benefits, cat.parameters, as_of).amount("b")[0]
    return scalar, int(vector)


def test_amount_table_declares_every_formula():
    assert set(AMOUNT_FORMULAS) == {"fixed", "keyed_by_size", "threshold_gap", "per_member_under_age",
                                    "per_member_by_age_years", "first_meeting", "basic_pension"}


def test_threshold_gap_is_the_livelihood_benefit():
    # given: 1 person, 소득인정액 350,000; 선정기준 820,556
    h = household([member(income={"earned": 500_000})])
    # when / then
    assert _amount(h, "threshold_gap", {"pct": "nbls_livelihood_pct"}) == (Amount(470_556, "month"), 470_556)


def test_threshold_gap_floors_at_zero():
    h = household([member(income={"public_transfer": 900_000})])
    assert _amount(h, "threshold_gap", {"pct": "nbls_livelihood_pct"}) == (Amount(0, "month"), 0)


def test_child_allowance_per_child_under_9_in_2026():
    # given: children aged 9 and 8 on 2026-03-01
    h = household([member(birth="1985-01-01"), member("child", "2017-03-01"), member("child", "2017-03-02")])
    # when
    scalar, vector = _amount(h, "per_member_under_age", {"amount": "child_allowance_amount",
                                                          "age_limit": "child_allowance_age_limit"})
    # then
    assert scalar.krw == vector == 100_000


def test_child_allowance_2025_limit_is_8():
    # given: a child aged 8 on 2025-06-01
    h = household([member(birth="1985-01-01"), member("child", "2017-01-01")])
    # when
    scalar, vector = _amount(h, "per_member_under_age", {"amount": "child_allowance_amount",
                                                          "age_limit": "child_allowance_age_limit"},
                             as_of=dt.date(2025, 6, 1))
    # then
    assert scalar.krw == vector == 0


def test_parental_benefit_by_age_in_years():
    # given: a baby aged 0 and a toddler aged 1
    h = household([member(birth="1990-01-01"), member("child", "2025-06-01"), member("child", "2024-06-01"),
                   member("child", "2023-01-01")])
    # when / then
    assert _amount(h, "per_member_by_age_years", {"age_0": "parental_benefit_age0",
                                                  "age_1": "parental_benefit_age1"}) == (Amount(1_500_000, "month"),
                                                                                         1_500_000)


@pytest.mark.parametrize(("children", "expected"), [
    (["2026-01-10"], 2_000_000),  # first child
    (["2026-01-10", "2022-05-05"], 3_000_000),  # second child
    (["2026-01-10", "2026-01-10"], 5_000_000),  # twins, first and second
    (["2022-05-05"], 0),  # no newborn
])
def test_first_meeting_voucher_by_birth_order(children, expected):
    # given
    h = household([member(birth="1990-01-01")] + [member("child", b) for b in children])
    # when
    scalar, vector = _amount(h, "first_meeting", {"first": "first_meeting_first",
                                                  "second_plus": "first_meeting_second_plus"}, period="once")
    # then
    assert (scalar, vector) == (Amount(expected, "once"), expected)


def test_single_parent_support_counts_children_not_the_parent():
    # given: a 17-year-old mother and her baby, a 20-year-old sibling
    h = household([member(birth="2008-06-01"), member("child", "2025-12-01"), member("sibling", "2005-01-01")])
    # when
    scalar, vector = _amount(h, "per_member_under_age", {"amount": "child_allowance_amount",
                                                          "age_limit": "child_allowance_age_limit"})
    # then
    assert scalar.krw == vector == 100_000


@pytest.mark.parametrize(("size", "expected"), [(1, 295_200), (4, 701_300), (6, 701_300)])
def test_energy_voucher_keyed_by_size(size, expected):
    h = household([member()] + [member("child", "2010-01-01")] * (size - 1))
    assert _amount(h, "keyed_by_size", {"amount": "energy_voucher_amount"}, "year") == (Amount(expected, "year"),
                                                                                      expected)


def test_fixed_amount():
    h = household()
    assert _amount(h, "fixed", {"amount": "disability_allowance_amount"}) == (Amount(60_000, "month"), 60_000)


@pytest.mark.parametrize(("members", "assets", "expected"), [
    # single, nothing else: 기준연금액
    ([member(birth="1950-01-01")], {}, 349_700),
    # couple, both 65+: 20 % each, 279,760 × 2
    ([member(birth="1950-01-01"), member("spouse", "1955-01-01")], {}, 559_520),
    # spouse under 65: one pension, no couple reduction
    ([member(birth="1950-01-01"), member("spouse", "1965-01-01")], {}, 349_700),
    # 국민연금 600,000 > 524,550: reduced by the excess 75,450 (approximation)
    ([member(birth="1950-01-01", income={"public_transfer": 600_000})], {}, 274_250),
    # 국민연금 700,000: floored at 50 % (부가연금액) 174,850
    ([member(birth="1950-01-01", income={"public_transfer": 700_000})], {}, 174_850),
    # 소득역전: 소득인정액 2,300,000 + pension ≤ 2,470,000
    ([member(birth="1950-01-01", income={"private_transfer": 2_300_000})], {}, 170_000),
    # 소득역전 below the 10 % minimum: 34,970
    ([member(birth="1950-01-01", income={"private_transfer": 2_450_000})], {}, 34_970),
    # nobody 65+ in the unit
    ([member(birth="1970-01-01"), member("parent", "1940-01-01")], {}, 0),
])
def test_basic_pension_amount(members, assets, expected):
    # given
    h = household(members, assets=assets)
    # when
    scalar, vector = _amount(h, "basic_pension", BASIC_PENSION_ROLES)
    # then
    assert (scalar.krw, vector) == (expected, expected)


def test_no_amount_unless_eligible_or_likely():
    # given
    cat = catalogue([{"code": "b", "name_ko": "급여", "name_en": "b",
                      "rules": [{"code": "b.r", "conditions": [{"fact": "crisis_event", "operator": "is_true"}]}],
                      "amount": {"formula": "fixed", "params": {"amount": "disability_allowance_amount"}}}])
    # when
    match = screen(household(), cat.benefits, cat.parameters, MAR_2026).match("b")
    vector = evaluate_batch(columns_from_households([household()]), cat.benefits, cat.parameters, MAR_2026)
    # then
    assert match.outcome == "needs_info" and match.estimated_amount is None
    assert vector.amount("b")[0] == -1

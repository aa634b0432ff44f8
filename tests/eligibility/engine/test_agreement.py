"""Property test: the scalar and the vectorised evaluators agree on every benefit's outcome and
estimated amount, for random households, on the seed catalogue and on a representative one."""

import datetime as dt
import functools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility.engine.batch import columns_from_households, evaluate_batch
from eligibility.engine.batchfacts import derive_batch_facts
from eligibility.engine.catalogue import FACTS, OUTCOME_CODE
from eligibility.engine.evaluate import screen
from eligibility.engine.facts import derive_facts
from eligibility.engine.household import Assets, Household, Housing, Income, Member, Region, Status
from eligibility.engine.loader import load_catalogue
from eligibility.engine.synthetic import PLACES

from .sample import BASIC_PENSION_ROLES, catalogue

SEED = Path(__file__).resolve().parents[3] / "eligibility" / "catalogue" / "catalogue.yaml"
DATES = [dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 3, 1)]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

money = st.one_of(st.sampled_from([0, 0, 0, 99_999, 400_000, 600_000, 1_160_000, 1_500_000, 3_000_000]),
                  st.integers(0, 8_000_000))
assets_money = st.one_of(st.sampled_from([0, 0, 4_999_999, 5_000_000, 20_000_000, 99_000_000, 172_000_000]),
                         st.integers(0, 900_000_000))
optional_flag = st.sampled_from([None, True, False])


@st.composite
def members(draw):
    count = draw(st.integers(1, 8))
    relations = ["self"] + [draw(st.sampled_from(["spouse", "child", "child", "parent", "grandchild", "sibling",
                                                  "other"])) for _ in range(count - 1)]
    return tuple(Member(
        relation=relation,
        birth_date=draw(st.dates(dt.date(1920, 1, 1), dt.date(2025, 12, 31))),
        disability=draw(st.sampled_from(["none", "none", "mild", "severe"])),
        pregnant=draw(st.booleans()),
        school=draw(st.sampled_from(["none", "elementary", "middle", "high", "university"])),
        income=Income(*(draw(money) for _ in range(5))),
    ) for relation in relations)


@st.composite
def households(draw):
    place = draw(st.sampled_from(PLACES))
    return Household(
        region=Region(place[2], place[3]),
        housing=Housing(draw(st.sampled_from(["rent", "jeonse", "own", "free"])), draw(money)),
        members=draw(members()),
        assets=Assets(draw(assets_money), draw(assets_money), draw(assets_money),
                      draw(st.one_of(st.sampled_from([0, 4_999_999, 5_000_000, 40_000_000]), assets_money)),
                      draw(st.sampled_from([0, 998, 1999, 2000, 2999, 3000, 3342])), draw(assets_money)),
        status=Status(draw(st.booleans()), draw(st.booleans()), draw(st.booleans()),
                      *(draw(optional_flag) for _ in range(6))),
    )


def assert_agree(hs, cat, as_of):
    """Assert that screen() and evaluate_batch() give the same outcome and amount everywhere."""
    batch = evaluate_batch(columns_from_households(hs), cat.benefits, cat.parameters, as_of, chunk_size=2)
    for i, h in enumerate(hs):
        matches = {m.benefit_code: m for m in screen(h, cat.benefits, cat.parameters, as_of).matches}
        for j, code in enumerate(batch.codes):
            match = matches.get(code)
            expected_outcome = OUTCOME_CODE[match.outcome] if match else -1
            amount = match.estimated_amount if match else None
            assert (code, int(batch.outcomes[j, i])) == (code, expected_outcome)
            assert (code, int(batch.amounts[j, i])) == (code, amount.krw if amount else -1)


# ---- a representative catalogue: every operator, quantifier, basis and formula --------------------

def _b(code, conditions, amount=None, outcome="eligible", **rule):
    return {"code": code, "name_ko": code, "name_en": code, "amount": amount,
            "rules": [{"code": f"{code}.r", "outcome": outcome, "conditions": conditions, **rule}]}


REPRESENTATIVE = [
    _b("livelihood", [{"fact": "recognized_income_nbls", "operator": "lte", "parameter": "nbls_livelihood_pct",
                       "basis": "median_pct"}], {"formula": "threshold_gap", "params": {"pct": "nbls_livelihood_pct"}},
       "likely"),
    _b("medical", [{"fact": "median_ratio_nbls", "operator": "lt", "parameter": "nbls_medical_pct"},
                   {"fact": "region_nbls", "operator": "in", "value": ["seoul", "metro", "other"]}]),
    _b("pension", [{"fact": "recognized_income_bp", "operator": "lte", "parameter": "bp_selection_amount"},
                   {"fact": "age_years", "operator": "gte", "parameter": "bp_min_age", "group": "old"},
                   {"fact": "relation", "operator": "in", "value": ["self", "spouse"], "group": "old"},
                   {"fact": "occupational_pension", "operator": "is_false"}],
       {"formula": "basic_pension", "params": BASIC_PENSION_ROLES}),
    _b("child", [{"fact": "age_years", "operator": "lt", "parameter": "child_allowance_age_limit"}],
       {"formula": "per_member_under_age", "params": {"amount": "child_allowance_amount",
                                                      "age_limit": "child_allowance_age_limit"}}),
    _b("parental", [{"fact": "age_months", "operator": "lt", "value": 24}],
       {"formula": "per_member_by_age_years", "params": {"age_0": "parental_benefit_age0",
                                                          "age_1": "parental_benefit_age1"}}),
    _b("first", [{"fact": "age_years", "operator": "eq", "value": 0}, {"fact": "relation", "operator": "eq",
                                                                         "value": "child"}],
       {"formula": "first_meeting", "period": "once", "params": {"first": "first_meeting_first",
                                                                  "second_plus": "first_meeting_second_plus"}}),
    _b("energy", [{"fact": "nbls_recipient", "operator": "is_true"},
                  {"fact": "life_stage", "operator": "in", "value": ["infant", "senior"], "quantifier": "any"}],
       {"formula": "keyed_by_size", "period": "year", "params": {"amount": "energy_voucher_amount"}}),
    _b("disabled", [{"fact": "disability", "operator": "ne", "value": "none", "quantifier": "count_at_least",
                     "min_count": 2, "group": "d"},
                    {"fact": "age_years", "operator": "between", "value": [18, 64], "quantifier": "count_at_least",
                     "min_count": 2, "group": "d"},
                    {"fact": "near_poor", "operator": "eq", "value": False}],
       {"formula": "fixed", "params": {"amount": "disability_allowance_amount"}}),
    _b("everyone_adult", [{"fact": "age_years", "operator": "gt", "value": 17, "quantifier": "all"},
                          {"fact": "school", "operator": "not_in", "value": ["high"], "quantifier": "all"},
                          {"fact": "member_earned_income", "operator": "gte", "value": 0, "quantifier": "all"}]),
    _b("crisis", [{"fact": "crisis_event", "operator": "is_true"}, {"fact": "job_seeker", "operator": "ne",
                                                                     "value": False},
                  {"fact": "financial_assets", "operator": "lt", "value": 6_000_000},
                  {"fact": "net_assets", "operator": "between", "value": [-1_000_000_000, 241_000_000]}], outcome="likely"),
    _b("misc", [{"fact": "household_size", "operator": "ne", "value": 3},
                {"fact": "monthly_rent", "operator": "gt", "value": 0},
                {"fact": "capital_area", "operator": "eq", "value": True},
                {"fact": "housing_tenure", "operator": "eq", "value": "rent"},
                {"fact": "bp_unit_type", "operator": "eq", "value": "couple"},
                {"fact": "region_bp", "operator": "ne", "value": "rural"},
                {"fact": "pregnant", "operator": "is_true", "quantifier": "any"},
                {"fact": "veteran", "operator": "is_false"}]),
    _b("income", [{"fact": "annual_income", "operator": "lt", "value": 60_000_000},
                  {"fact": "median_ratio_nbls", "operator": "between", "value": ["12.5", "150.25"]},
                  {"fact": "total_income", "operator": "gte", "value": 1},
                  {"fact": "earned_income_total", "operator": "lte", "value": 5_000_000},
                  {"fact": "income_eval_nbls", "operator": "gte", "value": 0},
                  {"fact": "property_income_nbls", "operator": "lt", "value": 2_000_000},
                  {"fact": "median_income", "operator": "gt", "value": 0},
                  {"fact": "dual_income", "operator": "ne", "value": True},
                  {"fact": "basic_pension_recipient", "operator": "eq", "value": False},
                  {"fact": "single_parent", "operator": "is_false"}]),
    _b("old_rule", [], valid_to="2025-12-31"),
]


REPRESENTATIVE_CATALOGUE = catalogue(REPRESENTATIVE)


@SETTINGS
@given(hs=st.lists(households(), min_size=1, max_size=4), as_of=st.sampled_from(DATES))
def test_scalar_and_vectorised_agree_on_a_representative_catalogue(hs, as_of):
    assert_agree(hs, REPRESENTATIVE_CATALOGUE, as_of)


@functools.cache
def seed_catalogue():
    """Return the seed catalogue, or skip: it is written in parallel and a broken one is not ours."""
    try:
        return load_catalogue(SEED)
    except Exception as err:  # noqa: BLE001
        pytest.skip(f"seed catalogue does not load: {err}")


@SETTINGS
@given(hs=st.lists(households(), min_size=1, max_size=4), as_of=st.sampled_from(DATES[1:]))
def test_scalar_and_vectorised_agree_on_the_seed_catalogue(hs, as_of):
    assert_agree(hs, seed_catalogue(), as_of)


def _encoded(fact, value):
    """Return a scalar fact value in the vectorised representation."""
    if value is None:
        return -1
    if fact.type == "enum":
        return fact.values.index(value)
    return int(value * fact.scale)


@SETTINGS
@given(hs=st.lists(households(), min_size=1, max_size=4), as_of=st.sampled_from(DATES))
def test_scalar_and_vectorised_derive_the_same_facts(hs, as_of):
    # given
    params = REPRESENTATIVE_CATALOGUE.parameters
    # when
    ctx = derive_batch_facts(columns_from_households(hs), params, as_of)
    # then
    for i, h in enumerate(hs):
        facts = derive_facts(h, params, as_of)
        for name, fact in FACTS.items():
            if fact.scope == "household":
                assert (name, int(ctx.hh(name)[i])) == (name, _encoded(fact, facts.get(name)))
        lo = int(ctx.offsets[i])
        for k, person in enumerate(facts.members):
            for name, fact in FACTS.items():
                if fact.scope == "member":
                    assert (name, int(ctx.mem(name)[lo + k])) == (name, _encoded(fact, person.get(name)))

"""AMOUNT_FORMULAS: the declared table of amount formulas (name -> scalar and vectorised function).

A Benefit's AmountSpec names a formula and its parameters by role; the formulas hold no figures.
Scalar functions take (facts, roles, params, as_of) and return whole won; vectorised ones take
(ctx, roles) where ctx is batch.BatchFacts, and return an int64 array over households.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .facts import HouseholdFacts
from .income import SCALAR_OPS, VECTOR_OPS, Ops, half_up, mul_rate
from .params import ParameterSet

UNIT = ("self", "spouse")  # the 기초연금 unit: the applicant and spouse


@dataclass(frozen=True)
class AmountFormula:
    name: str
    roles: tuple[str, ...]  # required roles ("age_<n>" roles of per_member_by_age_years are free)
    scalar: Callable
    vector: Callable


def _int(params: ParameterSet, roles, role: str, as_of: dt.date, facts) -> int:
    return params.integer(roles[role], as_of, facts)


# ---- fixed, keyed_by_size, threshold_gap ---------------------------------------------------------


def fixed(facts: HouseholdFacts, roles, params: ParameterSet, as_of: dt.date) -> int:
    """Return the `amount` parameter (keyed by whatever fact it declares)."""
    return _int(params, roles, "amount", as_of, facts)


def fixed_vec(ctx, roles):
    return ctx.broadcast(ctx.param_int(roles["amount"]))


def keyed_by_size(facts: HouseholdFacts, roles, params: ParameterSet, as_of: dt.date) -> int:
    """Return the `amount` parameter for the household size (e.g. 에너지바우처 by 가구원 수)."""
    return _int(params, roles, "amount", as_of, {"household_size": facts.household_size})


def keyed_by_size_vec(ctx, roles):
    return ctx.broadcast(ctx.param_int(roles["amount"]))


def threshold_gap(facts: HouseholdFacts, roles, params: ParameterSet, as_of: dt.date) -> int:
    """Return median × pct − 소득인정액, floor 0 (생계급여 = 선정기준 − 소득인정액, 법 제8조제2항)."""
    threshold = half_up(int(facts.median_income), params.rate(roles["pct"], as_of, facts))
    return max(threshold - int(facts.recognized_income_nbls), 0)


def threshold_gap_vec(ctx, roles):
    threshold = half_up(ctx.hh("median_income"), ctx.rate(roles["pct"]))
    return np.maximum(threshold - ctx.hh("recognized_income_nbls"), 0)


# ---- per member ----------------------------------------------------------------------------------


def per_member_under_age(facts: HouseholdFacts, roles, params: ParameterSet, as_of: dt.date) -> int:
    """Return `amount` for each member other than self/spouse younger than `age_limit`."""
    limit = _int(params, roles, "age_limit", as_of, facts)
    count = sum(m.relation not in UNIT and m.age_years < limit for m in facts.members)
    return count * _int(params, roles, "amount", as_of, facts)


def per_member_under_age_vec(ctx, roles):
    young = ~ctx.member_in("relation", UNIT) & (ctx.mem("age_years") < ctx.param_member(roles["age_limit"]))
    return ctx.segment_sum(young) * ctx.param_int(roles["amount"])


def _age_roles(roles) -> list[tuple[int, str]]:
    return [(int(role[4:]), name) for role, name in roles.items() if role.startswith("age_")]


def per_member_by_age_years(facts: HouseholdFacts, roles, params: ParameterSet, as_of: dt.date) -> int:
    """Return the sum over members of the `age_<n>` amount for a member aged n (부모급여: 0세, 1세)."""
    amounts = {age: params.integer(name, as_of, facts) for age, name in _age_roles(roles)}
    return sum(amounts.get(m.age_years, 0) for m in facts.members)


def per_member_by_age_years_vec(ctx, roles):
    total = ctx.broadcast(0)
    for age, name in _age_roles(roles):
        total = total + ctx.segment_sum(ctx.mem("age_years") == age) * ctx.param_int(name)
    return total


def first_meeting(facts: HouseholdFacts, roles, params: ParameterSet, as_of: dt.date) -> int:
    """Return the 첫만남이용권 for children aged 0: `first` for a first child, `second_plus` else.

    Birth order counts members with relation child only; with no older child the eldest newborn
    is the first child (twins: first + second_plus).
    """
    newborn = sum(m.relation == "child" and m.age_years == 0 for m in facts.members)
    older = sum(m.relation == "child" and m.age_years > 0 for m in facts.members)
    return _first_meeting(newborn, older, _int(params, roles, "first", as_of, facts),
                          _int(params, roles, "second_plus", as_of, facts), SCALAR_OPS)


def first_meeting_vec(ctx, roles):
    child = ctx.member_in("relation", ("child",))
    newborn = ctx.segment_sum(child & (ctx.mem("age_years") == 0))
    older = ctx.segment_sum(child & (ctx.mem("age_years") > 0))
    return _first_meeting(newborn, older, ctx.param_int(roles["first"]), ctx.param_int(roles["second_plus"]),
                          VECTOR_OPS)


def _first_meeting(newborn, older, first, second_plus, ops: Ops):
    bonus = ops.where((newborn > 0) & (older == 0), first - second_plus, 0)
    return newborn * second_plus + bonus


# ---- 기초연금 (기초연금법 제5조, 제5조의2 연계감액, 제8조 부부감액·소득역전방지) ------------------------


def basic_pension(facts: HouseholdFacts, roles, params: ParameterSet, as_of: dt.date) -> int:
    """Return the estimated 기초연금 of the self(+spouse) unit a month.

    Each of self/spouse aged ≥ min_age gets the base amount; the 국민연금 연계감액 is APPROXIMATED:
    when a person's public_transfer exceeds base × linkage_threshold, the amount falls won for won
    with the excess, floored at base × additional (부가연금액) — the real reduction uses the A급여,
    which the household format does not carry. Both spouses receiving: each −couple_reduction.
    소득역전 방지: 소득인정액 + pension ≤ 선정기준액, but never below base × minimum per person.
    """
    get = lambda role: params.value(roles[role], as_of, facts)  # noqa: E731
    p = _bp_amount_params(lambda role: int(get(role)), lambda role: params.rate(roles[role], as_of, facts))
    unit = [m for m in facts.members if m.relation in UNIT and m.age_years >= p["min_age"]]
    couple = len(unit) == 2
    total = sum(_bp_person(m.public_transfer, couple, p, SCALAR_OPS) for m in unit)
    return _bp_cap(total, len(unit), int(facts.recognized_income_bp), p, SCALAR_OPS)


def basic_pension_vec(ctx, roles):
    p = _bp_amount_params(lambda role: ctx.param_int(roles[role]), lambda role: ctx.rate(roles[role]))
    qualifies = ctx.member_in("relation", UNIT) & (ctx.mem("age_years") >= p["min_age"])
    count = ctx.segment_sum(qualifies)
    couple = ctx.to_members(count == 2)
    person = np.where(qualifies, _bp_person(ctx.mem("public_transfer"), couple, p, VECTOR_OPS), 0)
    return _bp_cap(ctx.segment_sum(person), count, ctx.hh("recognized_income_bp"), p, VECTOR_OPS)


def _bp_amount_params(integer: Callable, rate: Callable) -> dict:
    return {
        "base": integer("base"), "selection": integer("selection"), "min_age": integer("min_age"),
        "couple": rate("couple_reduction"), "linkage": rate("linkage_threshold"),
        "additional": rate("additional"), "minimum": rate("minimum"),
    }


def _bp_person(public_transfer, couple, p: dict, ops: Ops):
    base = p["base"]
    excess = ops.maximum(public_transfer - mul_rate(base, p["linkage"]), 0)
    amount = ops.maximum(base - excess, mul_rate(base, p["additional"]))
    return amount - ops.where(couple, mul_rate(amount, p["couple"]), 0)


def _bp_cap(total, count, recognized, p: dict, ops: Ops):
    room = p["selection"] - recognized
    return ops.maximum(ops.minimum(total, room), count * mul_rate(p["base"], p["minimum"]))


AMOUNT_FORMULAS: dict[str, AmountFormula] = {f.name: f for f in (
    AmountFormula("fixed", ("amount",), fixed, fixed_vec),
    AmountFormula("keyed_by_size", ("amount",), keyed_by_size, keyed_by_size_vec),
    AmountFormula("threshold_gap", ("pct",), threshold_gap, threshold_gap_vec),
    AmountFormula("per_member_under_age", ("amount", "age_limit"), per_member_under_age, per_member_under_age_vec),
    AmountFormula("per_member_by_age_years", (), per_member_by_age_years, per_member_by_age_years_vec),
    AmountFormula("first_meeting", ("first", "second_plus"), first_meeting, first_meeting_vec),
    AmountFormula("basic_pension", ("base", "selection", "min_age", "couple_reduction", "linkage_threshold",
                                    "additional", "minimum"), basic_pension, basic_pension_vec),
)}

"""Vectorised fact derivation: Columns on one date -> BatchFacts, the same formulas as facts.py.

Household facts are int64 arrays (enum codes, bools as 0/1, percent in hundredths, optional flags
-1/0/1); member facts likewise. BatchFacts also resolves parameters into per-household arrays.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import numpy as np

from . import income
from .catalogue import FACTS, LIFE_STAGE_FROM, OPTIONAL_FACTS
from .columns import Columns
from .facts import age_months, age_years
from .income import VECTOR_OPS
from .params import ParameterError, ParameterSet


class BatchFacts:
    """Derived fact arrays for n households / m members, with segment helpers for formulas."""

    def __init__(self, columns: Columns, params: ParameterSet, as_of: dt.date):
        self.columns, self.params, self.as_of = columns, params, as_of
        self.n, self.offsets = columns.n, columns.offsets
        self.member_household = columns.member["member_household"]
        self.counts = np.diff(columns.offsets)
        self.household: dict[str, np.ndarray] = {}
        self.member: dict[str, np.ndarray] = {}
        self._params: dict[tuple, Any] = {}

    # -- access
    def hh(self, name: str) -> np.ndarray:
        return self.household[name]

    def mem(self, name: str) -> np.ndarray:
        return self.member[name]

    def known(self, name: str) -> np.ndarray | None:
        """Return the known-mask of an optional fact, None for a fact that is always known."""
        return self.household[name] >= 0 if name in OPTIONAL_FACTS else None

    def member_in(self, fact: str, values: tuple[str, ...]) -> np.ndarray:
        codes = [FACTS[fact].values.index(v) for v in values]
        return np.isin(self.member[fact], codes)

    # -- segments
    def segment_sum(self, values: np.ndarray) -> np.ndarray:
        """Return the per-household sum of a member array (bools count)."""
        return np.add.reduceat(values, self.offsets[:-1], dtype=np.int64)

    def to_members(self, values: Any) -> Any:
        """Return a household array repeated for each member (scalars unchanged)."""
        return values[self.member_household] if isinstance(values, np.ndarray) else values

    def broadcast(self, value: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(value, dtype=np.int64), (self.n,)).copy()

    # -- parameters
    def param_int(self, name: str) -> Any:
        """Return a whole-number parameter: an int, or a household array when it is keyed."""
        key = ("int", name)
        if key not in self._params:
            self._params[key] = self._resolve(name, lambda v: int(v))
        return self._params[key]

    def param_member(self, name: str) -> Any:
        return self.to_members(self.param_int(name))

    def param_bounds(self, name: str, scale: int) -> tuple[Any, Any]:
        """Return (floor, ceil) of the parameter × scale: exact integer bounds for comparisons."""
        key = ("bounds", name, scale)
        if key not in self._params:
            low = self._resolve(name, lambda v: _floor(Fraction(v) * scale))
            high = self._resolve(name, lambda v: -_floor(-Fraction(v) * scale))
            self._params[key] = (low, high)
        return self._params[key]

    def rate(self, name: str) -> Fraction:
        return self.params.rate(name, self.as_of)

    def _resolve(self, name: str, convert) -> Any:
        param = self.params.get(name)
        if param.key_fact is None:
            return convert(self.params.value(name, self.as_of))
        return self._keyed(param, self.params.table(name, self.as_of), convert)

    def _keyed(self, param, table, convert) -> np.ndarray:
        codes = self.household[param.key_fact]
        fact = FACTS[param.key_fact]
        keys = list(fact.values) if fact.type == "enum" else list(range(int(codes.max(initial=0)) + 1))
        found = [_try(lambda k=k: convert(param.lookup(table, k))) for k in keys]
        missing = [k for k, v in zip(keys, found, strict=True) if v is None]
        if missing and np.isin(codes, [keys.index(k) for k in missing]).any():
            raise ParameterError(f"parameter {param.name!r} has no value for {param.key_fact} in {missing}")
        return np.array([0 if v is None else v for v in found], dtype=np.int64)[codes]


def _floor(value: Fraction) -> int:
    return value.numerator // value.denominator


def _try(fn) -> Any:
    try:
        return fn()
    except ParameterError:
        return None


# ---- derivation ----------------------------------------------------------------------------------


def derive_batch_facts(columns: Columns, params: ParameterSet, as_of: dt.date) -> BatchFacts:
    """Return the BatchFacts of `columns` on `as_of`; mirrors facts.derive_facts exactly."""
    ctx = BatchFacts(columns, params, as_of)
    _members(ctx, columns, as_of)
    _household_inputs(ctx, columns)
    _incomes(ctx, columns)
    _nbls(ctx, columns)
    _bp(ctx, columns)
    return ctx


def _members(ctx: BatchFacts, columns: Columns, as_of: dt.date) -> None:
    mem = columns.member
    birth = mem["birth"]
    by, bmd = birth // 10000, birth % 10000
    on_md = as_of.month * 100 + as_of.day
    years = age_years(by, bmd, as_of.year, on_md).astype(np.int64)
    months = age_months(by, bmd // 100, bmd % 100, as_of.year, as_of.month, as_of.day).astype(np.int64)
    stage = np.maximum(np.searchsorted(np.array(LIFE_STAGE_FROM), years, side="right") - 1, 0)
    ctx.member.update(
        relation=mem["relation"], disability=mem["disability"], school=mem["school"],
        pregnant=mem["pregnant"].astype(np.int8), age_years=years, age_months=months, life_stage=stage,
        member_earned_income=mem["earned"] + mem["business"], public_transfer=mem["public_transfer"],
    )


def _household_inputs(ctx: BatchFacts, columns: Columns) -> None:
    hh = columns.household
    a = _assets(columns)
    ctx.household.update({k: hh[k] for k in ("region_nbls", "region_bp", "housing_tenure", *OPTIONAL_FACTS)})
    ctx.household.update({k: hh[k].astype(np.int8) for k in ("capital_area", "nbls_recipient", "near_poor",
                                                              "single_parent")})
    ctx.household.update(
        household_size=ctx.counts, monthly_rent=hh["monthly_rent"], financial_assets=a.financial,
        net_assets=a.housing + a.general + a.financial + a.car_value - a.debt,
        bp_unit_type=(ctx.segment_sum(ctx.member_in("relation", ("spouse",))) > 0).astype(np.int8),
    )


def _assets(columns: Columns) -> SimpleNamespace:
    hh = columns.household
    return SimpleNamespace(housing=hh["housing"], general=hh["general"], financial=hh["financial"],
                           car_value=hh["car_value"], car_cc=hh["car_cc"], debt=hh["debt"])


def _incomes(ctx: BatchFacts, columns: Columns) -> None:
    mem = columns.member
    total = mem["earned"] + mem["business"] + mem["property"] + mem["public_transfer"] + mem["private_transfer"]
    household_total = ctx.segment_sum(total)
    ctx.household.update(
        total_income=household_total, annual_income=household_total * 12,
        earned_income_total=ctx.segment_sum(ctx.member["member_earned_income"]),
    )


def _other_income(mem) -> np.ndarray:
    return mem["property"] + mem["public_transfer"] + mem["private_transfer"]


def _nbls(ctx: BatchFacts, columns: Columns) -> None:
    mem = columns.member
    p = income.nbls_params(ctx.params, ctx.as_of, ctx.param_int)
    special = ctx.member_in("disability", ("mild", "severe")) | ctx.member_in(
        "school", ("elementary", "middle", "high", "university"))
    counted = income.nbls_counted_earned(ctx.member["member_earned_income"], ctx.member["age_years"], special, p,
                                         VECTOR_OPS)
    evaluated = ctx.segment_sum(counted + _other_income(mem))
    prop = income.nbls_property_income(_assets(columns), p, VECTOR_OPS)
    recognized = evaluated + prop
    median = ctx.param_int("median_income")
    ctx.household.update(
        income_eval_nbls=evaluated, property_income_nbls=prop, recognized_income_nbls=recognized,
        median_income=median, median_ratio_nbls=income.ratio_hundredths(recognized, median),
    )


def _bp(ctx: BatchFacts, columns: Columns) -> None:
    mem = columns.member
    p = income.bp_params(ctx.params, ctx.as_of, ctx.param_int)
    unit = ctx.member_in("relation", ("self", "spouse"))
    person = income.bp_counted_earned(mem["earned"], p, VECTOR_OPS) + mem["business"] + _other_income(mem)
    evaluated = ctx.segment_sum(np.where(unit, person, 0))
    ctx.household["recognized_income_bp"] = evaluated + income.bp_property_income(_assets(columns), p, VECTOR_OPS)

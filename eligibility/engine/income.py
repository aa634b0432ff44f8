"""The two 소득인정액 methods, written once for Python ints and NumPy int64 arrays alike.

Every function takes resolved parameters (ints and exact Fractions, per household where keyed) and
an `Ops` giving max/min/where, so the scalar and the vectorised evaluators run the same formula.
Each product of money and a rate is floored to the won (원 미만 절사).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .params import ParameterSet


@dataclass(frozen=True)
class Ops:
    maximum: Callable
    minimum: Callable
    where: Callable


SCALAR_OPS = Ops(max, min, lambda cond, a, b: a if cond else b)
VECTOR_OPS = Ops(np.maximum, np.minimum, np.where)


def mul_rate(amount: Any, rate: Fraction) -> Any:
    """Return floor(amount × rate) exactly, for an int or an int64 array (amount ≥ 0)."""
    return amount * rate.numerator // rate.denominator


def half_up(amount: Any, rate: Fraction) -> Any:
    """Return amount × rate rounded half-up to the won (the published threshold tables' rounding)."""
    return (2 * amount * rate.numerator + rate.denominator) // (2 * rate.denominator)


def ratio_hundredths(part: Any, whole: Any) -> Any:
    """Return part / whole in hundredths of a percent, rounded half-up (whole > 0)."""
    return (2 * part * 10000 + whole) // (2 * whole)


# ---- parameters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NblsParams:
    """기초생활보장 parameters on one date; the region-keyed ones are per household (int or array)."""

    earned_rate: Fraction
    youth_max_age: int
    youth_amount: int
    special_amount: int
    special_min_age: int
    basic_deduction: Any
    housing_cap: Any
    living_allowance: int
    rate_housing: Fraction
    rate_general: Fraction
    rate_financial: Fraction
    rate_car: Fraction
    car_max_cc: int
    car_max_value: int


@dataclass(frozen=True)
class BpParams:
    """기초연금 parameters on one date; `basic_deduction` is per household (region_bp)."""

    basic_earned_deduction: int
    extra_rate: Fraction
    basic_deduction: Any
    financial_deduction: int
    annual_rate: Fraction
    luxury_min_value: int
    luxury_min_cc: int


def nbls_params(params: ParameterSet, as_of: dt.date, region: Callable[[str], Any]) -> NblsParams:
    """Resolve the 기초생활보장 parameters; `region(name)` turns a region-keyed one into int/array."""
    return NblsParams(
        earned_rate=params.rate("nbls_earned_income_deduction_rate", as_of),
        youth_max_age=params.integer("nbls_youth_deduction_max_age", as_of),
        youth_amount=params.integer("nbls_youth_deduction_amount", as_of),
        special_amount=params.integer("nbls_special_deduction_amount", as_of),
        special_min_age=params.integer("nbls_special_deduction_min_age", as_of),
        basic_deduction=region("nbls_basic_property_deduction"),
        housing_cap=region("nbls_housing_property_cap"),
        living_allowance=params.integer("nbls_financial_living_allowance", as_of),
        rate_housing=params.rate("nbls_conversion_rate_housing", as_of),
        rate_general=params.rate("nbls_conversion_rate_general", as_of),
        rate_financial=params.rate("nbls_conversion_rate_financial", as_of),
        rate_car=params.rate("nbls_conversion_rate_car", as_of),
        car_max_cc=params.integer("nbls_car_exception_max_cc", as_of),
        car_max_value=params.integer("nbls_car_exception_max_value", as_of),
    )


def bp_params(params: ParameterSet, as_of: dt.date, region: Callable[[str], Any]) -> BpParams:
    """Resolve the 기초연금 parameters; `region(name)` turns the region-keyed one into int/array."""
    return BpParams(
        basic_earned_deduction=params.integer("bp_earned_income_basic_deduction", as_of),
        extra_rate=params.rate("bp_earned_income_extra_deduction_rate", as_of),
        basic_deduction=region("bp_basic_property_deduction"),
        financial_deduction=params.integer("bp_financial_property_deduction", as_of),
        annual_rate=params.rate("bp_property_conversion_rate", as_of),
        luxury_min_value=params.integer("bp_luxury_car_min_value", as_of),
        luxury_min_cc=params.integer("bp_luxury_car_min_cc", as_of),
    )


# ---- 기초생활보장 (국민기초생활 보장법 제6조의3, 시행령 제5조의2·제5조의4) --------------------------------


def nbls_counted_earned(earned: Any, age_years: Any, student_or_disabled: Any, p: NblsParams, ops: Ops) -> Any:
    """Return one member's 근로·사업소득 after the deductions (시행령 제5조의2).

    A youth (age ≤ youth_max_age) first deducts the fixed youth amount; a student, a disabled
    member or one aged special_min_age or more deducts the special amount; the two do not add up,
    the larger applies. Everyone then deducts the rate from what remains (2026: 34세 이하 60만원 +
    30 %; 2025: 29세 이하 40만원 + 30 %; 학생·장애인·노인 20만원 + 30 %).
    """
    youth = ops.where(age_years <= p.youth_max_age, p.youth_amount, 0)
    special = ops.where(student_or_disabled | (age_years >= p.special_min_age), p.special_amount, 0)
    fixed = ops.maximum(youth, special)
    base = ops.maximum(earned - fixed, 0)
    return base - mul_rate(base, p.earned_rate)


def nbls_property_income(assets: Any, p: NblsParams, ops: Ops) -> Any:
    """Return 재산의 소득환산액 a month (시행령 제5조의4, 고시 별표3).

    Housing above the regional cap counts as general property; a car under both the cc and the
    value limits counts at the general rate, any other car at the car rate (100 %). The financial
    living allowance comes off financial property; then 기본재산액 and debt come off in the order
    housing -> general -> financial, each floored at 0.
    """
    small_car = (assets.car_cc < p.car_max_cc) & (assets.car_value < p.car_max_value)
    housing = ops.minimum(assets.housing, p.housing_cap)
    overflow = ops.maximum(assets.housing - p.housing_cap, 0)
    general = assets.general + overflow + ops.where(small_car, assets.car_value, 0)
    financial = ops.maximum(assets.financial - p.living_allowance, 0)
    housing, general, financial = deduct_in_order(
        (housing, general, financial), p.basic_deduction + assets.debt, ops
    )
    car = ops.where(small_car, 0, assets.car_value)
    return (mul_rate(housing, p.rate_housing) + mul_rate(general, p.rate_general)
            + mul_rate(financial, p.rate_financial) + mul_rate(car, p.rate_car))


def deduct_in_order(values: tuple, deduction: Any, ops: Ops) -> tuple:
    """Take `deduction` off each value in turn, carrying what is left over to the next."""
    out = []
    for value in values:
        out.append(ops.maximum(value - deduction, 0))
        deduction = ops.maximum(deduction - value, 0)
    return tuple(out)


# ---- 기초연금 (기초연금법 제2조제4호, 선정기준액·소득인정액 산정 고시) -------------------------------------


def bp_counted_earned(earned: Any, p: BpParams, ops: Ops) -> Any:
    """Return one person's 근로소득 counted: (earned − basic deduction)⁺ less the extra 30 %."""
    base = ops.maximum(earned - p.basic_earned_deduction, 0)
    return base - mul_rate(base, p.extra_rate)


def bp_property_income(assets: Any, p: BpParams, ops: Ops) -> Any:
    """Return 재산의 소득환산액 a month by the 기초연금 method.

    ((general + housing − 기본재산액) + (financial − 금융재산 공제) − debt) × annual rate / 12, where a
    shortfall of general property below 기본재산액 is carried to financial property; a luxury car
    (value ≥ min value or cc ≥ min cc) counts 100 % a month, any other car as general property.
    The household's assets are attributed to the self(+spouse) unit (approximation).
    """
    luxury = (assets.car_value >= p.luxury_min_value) | (assets.car_cc >= p.luxury_min_cc)
    general = assets.general + assets.housing + ops.where(luxury, 0, assets.car_value) - p.basic_deduction
    financial = assets.financial - p.financial_deduction + ops.minimum(general, 0)
    total = ops.maximum(ops.maximum(general, 0) + ops.maximum(financial, 0) - assets.debt, 0)
    monthly = Fraction(p.annual_rate.numerator, p.annual_rate.denominator * 12)
    return mul_rate(total, monthly) + ops.where(luxury, assets.car_value, 0)

"""Small hand-written parameters (2025 and 2026, from shared/domain/rules-notes.md §1–§3) and a
household builder, so engine tests do not depend on the seed catalogue."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from eligibility.engine.household import parse_household
from eligibility.engine.loader import load_catalogue


def _dated(v2025: Any, v2026: Any) -> list[dict]:
    return [
        {"valid_from": dt.date(2025, 1, 1), "valid_to": dt.date(2025, 12, 31), "value": v2025},
        {"valid_from": dt.date(2026, 1, 1), "valid_to": dt.date(2026, 12, 31), "value": v2026},
    ]


def _same(value: Any) -> list[dict]:
    return _dated(value, value)


def _p(name: str, unit: str, values: list[dict], **extra) -> dict:
    return {"name": name, "unit": unit, "values": values, **extra}


NBLS_REGIONS = {"seoul": 99_000_000, "gyeonggi": 80_000_000, "metro": 77_000_000, "other": 53_000_000}
NBLS_CAPS = {"seoul": 172_000_000, "gyeonggi": 151_000_000, "metro": 146_000_000, "other": 112_000_000}

PARAMETERS = [
    _p("median_income", "krw_month", _dated(
        {1: 2392013, 2: 3932658, 3: 5025353, 4: 6097773, 5: 7108192, 6: 8064805, 7: 9021417},
        {1: 2564238, 2: 4199292, 3: 5359036, 4: 6494738, 5: 7556719, 6: 8555952, 7: 9515150},
    ), key_fact="household_size", extend="last_difference"),
    _p("nbls_earned_income_deduction_rate", "percent", _same(30)),
    _p("nbls_youth_deduction_max_age", "years", _dated(29, 34)),
    _p("nbls_youth_deduction_amount", "krw_month", _dated(400_000, 600_000)),
    _p("nbls_special_deduction_amount", "krw_month", _same(200_000)),
    _p("nbls_special_deduction_min_age", "years", _same(65)),
    _p("nbls_basic_property_deduction", "krw", _same(NBLS_REGIONS), key_fact="region_nbls"),
    _p("nbls_housing_property_cap", "krw", _same(NBLS_CAPS), key_fact="region_nbls"),
    _p("nbls_financial_living_allowance", "krw", _same(5_000_000)),
    _p("nbls_conversion_rate_housing", "percent", _same(1.04)),
    _p("nbls_conversion_rate_general", "percent", _same(4.17)),
    _p("nbls_conversion_rate_financial", "percent", _same(6.26)),
    _p("nbls_conversion_rate_car", "percent", _same(100)),
    _p("nbls_car_exception_max_cc", "count", _same(2000)),
    _p("nbls_car_exception_max_value", "krw", _same(5_000_000)),
    _p("nbls_livelihood_pct", "percent", _same(32)),
    _p("nbls_medical_pct", "percent", _same(40)),
    _p("bp_earned_income_basic_deduction", "krw_month", _dated(1_120_000, 1_160_000)),
    _p("bp_earned_income_extra_deduction_rate", "percent", _same(30)),
    _p("bp_basic_property_deduction", "krw", _same(
        {"metro_city": 135_000_000, "small_city": 85_000_000, "rural": 72_500_000}), key_fact="region_bp"),
    _p("bp_financial_property_deduction", "krw", _same(20_000_000)),
    _p("bp_property_conversion_rate", "percent", _same(4)),
    _p("bp_luxury_car_min_value", "krw", _same(40_000_000)),
    _p("bp_luxury_car_min_cc", "count", _same(3000)),
    _p("bp_selection_amount", "krw_month", _dated(
        {"single": 2_280_000, "couple": 3_648_000}, {"single": 2_470_000, "couple": 3_952_000}),
        key_fact="bp_unit_type"),
    _p("bp_base_amount", "krw_month", _dated(342_510, 349_700)),
    _p("bp_min_age", "years", _same(65)),
    _p("bp_couple_reduction_rate", "percent", _same(20)),
    _p("bp_linkage_threshold_rate", "percent", _same(150)),
    _p("bp_additional_pension_rate", "percent", _same(50)),
    _p("bp_minimum_rate", "percent", _same(10)),
    _p("child_allowance_amount", "krw_month", _same(100_000)),
    _p("child_allowance_age_limit", "years", _dated(8, 9)),
    _p("parental_benefit_age0", "krw_month", _same(1_000_000)),
    _p("parental_benefit_age1", "krw_month", _same(500_000)),
    _p("first_meeting_first", "krw", _same(2_000_000)),
    _p("first_meeting_second_plus", "krw", _same(3_000_000)),
    _p("energy_voucher_amount", "krw_year", _same({1: 295_200, 2: 407_500, 3: 532_700, 4: 701_300}),
       key_fact="household_size", extend="last_value"),
    _p("disability_allowance_amount", "krw_month", _same(60_000)),
]

BASIC_PENSION_ROLES = {
    "base": "bp_base_amount", "selection": "bp_selection_amount", "min_age": "bp_min_age",
    "couple_reduction": "bp_couple_reduction_rate", "linkage_threshold": "bp_linkage_threshold_rate",
    "additional": "bp_additional_pension_rate", "minimum": "bp_minimum_rate",
}


def params():
    """Return the sample ParameterSet (2025-01-01 .. 2026-12-31)."""
    return load_catalogue({"parameters": copy.deepcopy(PARAMETERS), "benefits": []}).parameters


def catalogue(benefits: list[dict]):
    """Return a Catalogue of the sample parameters and the given benefits (seed format)."""
    return load_catalogue({"parameters": copy.deepcopy(PARAMETERS), "benefits": benefits})


def member(relation: str = "self", birth: str = "1980-01-01", **fields) -> dict:
    """Return a member document; incomes as keyword `income={...}`."""
    return {"relation": relation, "birth_date": birth, **fields}


def household_doc(members: list[dict] | None = None, sido: str = "서울특별시", sigungu: str = "관악구",
                  assets: dict | None = None, status: dict | None = None, tenure: str = "rent") -> dict:
    """Return a household document in the JSON format, defaults: one adult in 관악구, nothing owned."""
    return {
        "region": {"sido": sido, "sigungu": sigungu},
        "housing": {"tenure": tenure, "monthly_rent": 300_000},
        "members": members or [member()],
        "assets": assets or {},
        "status": {"nbls_recipient": False, "near_poor": False, "single_parent": False, **(status or {})},
    }


def household(*args, **kwargs):
    """Return the parsed Household of `household_doc(*args, **kwargs)`."""
    return parse_household(household_doc(*args, **kwargs))

"""Scalar fact derivation: one Household on one date -> HouseholdFacts (the fact catalogue's values).

Money facts are Decimal whole won; `median_ratio_nbls` is a Decimal percent with two decimals;
optional status flags stay None (unknown).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import income
from .catalogue import LIFE_STAGE_FROM, LIFE_STAGES
from .household import Household, Member
from .income import SCALAR_OPS
from .params import ParameterSet
from .regions import capital_area, region_bp, region_nbls


@dataclass(frozen=True)
class PersonFacts:
    relation: str
    age_years: int
    age_months: int
    life_stage: str
    disability: str
    pregnant: bool
    school: str
    member_earned_income: Decimal
    public_transfer: int = 0  # for the 국민연금 연계감액 of the basic-pension amount

    def get(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True)
class HouseholdFacts:
    as_of: dt.date
    household_size: int
    region_nbls: str
    region_bp: str
    capital_area: bool
    housing_tenure: str
    monthly_rent: Decimal
    total_income: Decimal
    earned_income_total: Decimal
    annual_income: Decimal
    income_eval_nbls: Decimal
    property_income_nbls: Decimal
    recognized_income_nbls: Decimal
    median_income: Decimal
    median_ratio_nbls: Decimal
    bp_unit_type: str
    recognized_income_bp: Decimal
    net_assets: Decimal
    financial_assets: Decimal
    nbls_recipient: bool
    near_poor: bool
    single_parent: bool
    basic_pension_recipient: bool | None
    crisis_event: bool | None
    veteran: bool | None
    dual_income: bool | None
    job_seeker: bool | None
    occupational_pension: bool | None
    members: tuple[PersonFacts, ...]

    def get(self, name: str) -> Any:
        """Return a household fact by its catalogue name (None when unknown)."""
        return getattr(self, name)


# ---- ages ----------------------------------------------------------------------------------------
# Written on integers so the vectorised path (batch.py) uses the same arithmetic on arrays.


def age_years(birth_y: Any, birth_md: Any, on_y: Any, on_md: Any) -> Any:
    """Return 만 나이: completed years (month-day as m*100+d; a 29 Feb birthday counts on 1 Mar)."""
    return on_y - birth_y - (on_md < birth_md)


def age_months(birth_y: Any, birth_m: Any, birth_d: Any, on_y: Any, on_m: Any, on_d: Any) -> Any:
    """Return completed months: a month counts once the day of the month of birth is reached."""
    return (on_y - birth_y) * 12 + (on_m - birth_m) - (on_d < birth_d)


def life_stage(age: int) -> str:
    """Return the life stage of an age in years (under 0 counts as infant)."""
    return LIFE_STAGES[max(bisect.bisect_right(LIFE_STAGE_FROM, age) - 1, 0)]


def person_facts(member: Member, as_of: dt.date) -> PersonFacts:
    """Return one member's facts on `as_of`."""
    b = member.birth_date
    years = age_years(b.year, b.month * 100 + b.day, as_of.year, as_of.month * 100 + as_of.day)
    inc = member.income
    return PersonFacts(
        relation=member.relation,
        age_years=years,
        age_months=age_months(b.year, b.month, b.day, as_of.year, as_of.month, as_of.day),
        life_stage=life_stage(years),
        disability=member.disability,
        pregnant=member.pregnant,
        school=member.school,
        member_earned_income=Decimal(inc.earned + inc.business),
        public_transfer=inc.public_transfer,
    )


# ---- household -----------------------------------------------------------------------------------


def derive_facts(household: Household, params: ParameterSet, as_of: dt.date) -> HouseholdFacts:
    """Return every fact of the catalogue for `household` on `as_of`; raises ParameterError when a
    parameter the income methods need has no value on that date."""
    people = tuple(person_facts(m, as_of) for m in household.members)
    size = len(people)
    nbls = nbls_recognized(household, people, params, as_of)
    median = _median(params, as_of, size)
    return HouseholdFacts(
        as_of=as_of,
        household_size=size,
        **_region_facts(household),
        housing_tenure=household.housing.tenure,
        monthly_rent=Decimal(household.housing.monthly_rent),
        **_income_totals(household),
        income_eval_nbls=Decimal(nbls[0]),
        property_income_nbls=Decimal(nbls[1]),
        recognized_income_nbls=Decimal(nbls[0] + nbls[1]),
        median_income=Decimal(median),
        median_ratio_nbls=Decimal(income.ratio_hundredths(nbls[0] + nbls[1], median)) / 100,
        bp_unit_type=bp_unit_type(household),
        recognized_income_bp=Decimal(bp_recognized(household, params, as_of)),
        **_asset_facts(household),
        **_status_facts(household),
        members=people,
    )


def _median(params: ParameterSet, as_of: dt.date, size: int) -> int:
    return params.integer("median_income", as_of, {"household_size": size})


def _region_facts(household: Household) -> dict:
    region = household.region
    return {
        "region_nbls": region_nbls(region.sido, region.sigungu),
        "region_bp": region_bp(region.sido, region.sigungu),
        "capital_area": capital_area(region.sido),
    }


def _income_totals(household: Household) -> dict:
    incomes = [m.income for m in household.members]
    total = sum(i.earned + i.business + i.property + i.public_transfer + i.private_transfer for i in incomes)
    return {
        "total_income": Decimal(total),
        "earned_income_total": Decimal(sum(i.earned + i.business for i in incomes)),
        "annual_income": Decimal(total * 12),
    }


def _asset_facts(household: Household) -> dict:
    a = household.assets
    return {
        "net_assets": Decimal(a.housing + a.general + a.financial + a.car_value - a.debt),
        "financial_assets": Decimal(a.financial),
    }


def _status_facts(household: Household) -> dict:
    return dict(vars(household.status))


def bp_unit_type(household: Household) -> str:
    """Return `couple` when the self has a spouse in the household, else `single`."""
    return "couple" if any(m.relation == "spouse" for m in household.members) else "single"


def _student_or_disabled(person: PersonFacts) -> bool:
    return person.disability != "none" or person.school not in ("none", "", None)


def nbls_recognized(
    household: Household, people: tuple[PersonFacts, ...], params: ParameterSet, as_of: dt.date
) -> tuple[int, int]:
    """Return (소득평가액, 재산의 소득환산액) by the 기초생활보장 method, whole won."""
    region = region_nbls(household.region.sido, household.region.sigungu)
    p = income.nbls_params(params, as_of, lambda name: params.integer(name, as_of, {"region_nbls": region}))
    evaluated = sum(
        income.nbls_counted_earned(
            m.income.earned + m.income.business, person.age_years, _student_or_disabled(person), p, SCALAR_OPS
        )
        + _other_income(m)
        for m, person in zip(household.members, people, strict=True)
    )
    return evaluated, income.nbls_property_income(household.assets, p, SCALAR_OPS)


def bp_recognized(household: Household, params: ParameterSet, as_of: dt.date) -> int:
    """Return 소득인정액 by the 기초연금 method for the self(+spouse) unit, whole won a month."""
    region = region_bp(household.region.sido, household.region.sigungu)
    p = income.bp_params(params, as_of, lambda name: params.integer(name, as_of, {"region_bp": region}))
    unit = [m for m in household.members if m.relation in ("self", "spouse")]
    # 기타소득: 사업·재산·공적이전(국민연금 등)·사적이전 count in full (기초연금법 시행령 제3조)
    evaluated = sum(income.bp_counted_earned(m.income.earned, p, SCALAR_OPS) + m.income.business
                    + _other_income(m) for m in unit)
    return evaluated + income.bp_property_income(household.assets, p, SCALAR_OPS)


def _other_income(member: Member) -> int:
    inc = member.income
    return inc.property + inc.public_transfer + inc.private_transfer

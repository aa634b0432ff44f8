"""The two declared tables the rules are written against: FACTS (names, types, scope, labels) and
OPERATORS (name, accepted fact types, the scalar and the vectorised function).

Admin choices are built from these tables, so a condition can only name what the engine knows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .household import ENUMS
from .regions import REGION_BP, REGION_NBLS

TYPES = ("int", "money", "percent", "enum", "bool")
LIFE_STAGES = ("infant", "child", "teen", "youth", "middle", "senior")
# Lower age bound (만 나이) of each life stage, as defined in docs/engine-design.md.
LIFE_STAGE_FROM = (0, 7, 13, 19, 35, 65)


@dataclass(frozen=True)
class Fact:
    name: str
    type: str
    scope: str  # "household" or "member"
    label_ko: str
    label_en: str
    values: tuple[str, ...] = ()  # enum values in code order (the vectorised path stores the index)
    monthly: bool = False  # money a month (else a stock in won)
    optional: bool = False  # may be unknown

    @property
    def scale(self) -> int:
        """Integer scale of the vectorised representation (percent is held in hundredths)."""
        return 100 if self.type == "percent" else 1


def _h(name, type_, ko, en, values=(), monthly=False, optional=False) -> Fact:
    return Fact(name, type_, "household", ko, en, tuple(values), monthly, optional)


def _m(name, type_, ko, en, values=(), monthly=False) -> Fact:
    return Fact(name, type_, "member", ko, en, tuple(values), monthly)


_FLAGS_OPTIONAL = {
    "basic_pension_recipient": ("기초연금 수급 여부", "basic pension recipient"),
    "crisis_event": ("위기사유 발생 여부", "crisis event (job loss, illness, ...)"),
    "veteran": ("국가보훈대상자 여부", "registered veteran"),
    "dual_income": ("맞벌이 여부", "dual-income couple"),
    "job_seeker": ("구직 중 여부", "looking for work"),
    "occupational_pension": ("직역연금 수급권 여부", "occupational (civil-service etc.) pension"),
}

FACTS: dict[str, Fact] = {f.name: f for f in (
    _h("household_size", "int", "가구원 수", "household size"),
    _h("region_nbls", "enum", "지역 구분(기초생활보장)", "region class (NBLS)", REGION_NBLS),
    _h("region_bp", "enum", "지역 구분(기초연금)", "region class (basic pension)", REGION_BP),
    _h("capital_area", "bool", "수도권 거주", "lives in the capital area"),
    _h("housing_tenure", "enum", "주거 형태", "housing tenure", ENUMS["tenure"]),
    _h("monthly_rent", "money", "월세", "monthly rent", monthly=True),
    _h("total_income", "money", "가구 실제소득", "household income", monthly=True),
    _h("earned_income_total", "money", "근로·사업소득", "earned and business income", monthly=True),
    _h("annual_income", "money", "연간 소득", "annual income"),
    _h("income_eval_nbls", "money", "소득평가액", "evaluated income (NBLS)", monthly=True),
    _h("property_income_nbls", "money", "재산의 소득환산액", "income from assets (NBLS)", monthly=True),
    _h("recognized_income_nbls", "money", "소득인정액", "recognised income (NBLS)", monthly=True),
    _h("median_income", "money", "기준 중위소득", "standard median income", monthly=True),
    _h("median_ratio_nbls", "percent", "기준 중위소득 대비 소득인정액 비율", "recognised income as % of median"),
    _h("bp_unit_type", "enum", "기초연금 가구 유형", "basic-pension unit", ("single", "couple")),
    _h("recognized_income_bp", "money", "소득인정액(기초연금)", "recognised income (basic pension)", monthly=True),
    _h("net_assets", "money", "순재산", "net assets"),
    _h("financial_assets", "money", "금융재산", "financial assets"),
    _h("nbls_recipient", "bool", "기초생활보장 수급 여부", "NBLS recipient"),
    _h("near_poor", "bool", "차상위계층 여부", "near-poor"),
    _h("single_parent", "bool", "한부모가족 여부", "single-parent family"),
    *(_h(name, "bool", ko, en, optional=True) for name, (ko, en) in _FLAGS_OPTIONAL.items()),
    _m("relation", "enum", "가구주와의 관계", "relation", ENUMS["relation"]),
    _m("age_years", "int", "만 나이", "age"),
    _m("age_months", "int", "개월 수", "age in months"),
    _m("life_stage", "enum", "생애주기", "life stage", LIFE_STAGES),
    _m("disability", "enum", "장애 정도", "disability", ENUMS["disability"]),
    _m("pregnant", "bool", "임신 여부", "pregnant"),
    _m("school", "enum", "재학 구분", "school", ENUMS["school"]),
    _m("member_earned_income", "money", "본인 근로·사업소득", "own earned income", monthly=True),
)}
OPTIONAL_FACTS = tuple(name for name, fact in FACTS.items() if fact.optional)


# ---- operators -----------------------------------------------------------------------------------
# Vectorised numeric operators receive the required value as exact integer bounds on the scaled
# fact: `(floor(v), ceil(v))`, or `(floor_lo, ceil_lo, floor_hi, ceil_hi)` for `between`. For an
# integer fact x, x <= v iff x <= floor(v) and x >= v iff x >= ceil(v): comparisons stay exact.

@dataclass(frozen=True)
class Operator:
    name: str
    types: frozenset[str]
    arity: str  # "none", "one", "pair", "list"
    scalar: Callable
    vector: Callable
    symbol: str  # for sentences: "≤", "=", "∈" ...
    symbol_en: str = ""  # when English differs (is_true, is_false)

    def sign(self, lang: str) -> str:
        return self.symbol_en if lang == "en" and self.symbol_en else self.symbol


NUMERIC = frozenset({"int", "money", "percent"})
EQUATABLE = NUMERIC | {"enum", "bool"}


def _eq_vec(x, req):
    if isinstance(req, tuple):  # numeric: equal only to an integral value
        return (x == req[0]) & (req[0] == req[1])
    return x == req


OPERATORS: dict[str, Operator] = {op.name: op for op in (
    Operator("eq", EQUATABLE, "one", lambda a, v: a == v, _eq_vec, "="),
    Operator("ne", EQUATABLE, "one", lambda a, v: a != v, lambda x, r: ~_eq_vec(x, r), "≠"),
    Operator("lt", NUMERIC, "one", lambda a, v: a < v, lambda x, r: x < r[1], "<"),
    Operator("lte", NUMERIC, "one", lambda a, v: a <= v, lambda x, r: x <= r[0], "≤"),
    Operator("gt", NUMERIC, "one", lambda a, v: a > v, lambda x, r: x > r[0], ">"),
    Operator("gte", NUMERIC, "one", lambda a, v: a >= v, lambda x, r: x >= r[1], "≥"),
    Operator("between", NUMERIC, "pair", lambda a, v: v[0] <= a <= v[1],
             lambda x, r: (x >= r[1]) & (x <= r[2]), "∈"),
    Operator("in", frozenset({"enum"}), "list", lambda a, v: a in v, lambda x, r: np.isin(x, r), "∈"),
    Operator("not_in", frozenset({"enum"}), "list", lambda a, v: a not in v,
             lambda x, r: ~np.isin(x, r), "∉"),
    Operator("is_true", frozenset({"bool"}), "none", lambda a, v: a is True, lambda x, r: x == 1, "= 예", "= yes"),
    Operator("is_false", frozenset({"bool"}), "none", lambda a, v: a is False, lambda x, r: x == 0, "= 아니오", "= no"),
)}

QUANTIFIERS = ("any", "all", "count_at_least")
OUTCOMES = ("ineligible", "needs_info", "likely", "eligible")  # ordered worst to best = int8 codes
OUTCOME_CODE = {name: code for code, name in enumerate(OUTCOMES)}
NO_RULE = -1

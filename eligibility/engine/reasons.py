"""Reasons: one per household condition and one per member group, in Korean and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalogue import FACTS, OPERATORS
from .format import subject_ko, value_en, value_ko, won_en, won_ko
from .rules import Condition

VERDICT_KO = {True: "충족", False: "미충족", None: "정보 필요"}
VERDICT_EN = {True: "met", False: "not met", None: "information needed"}


@dataclass(frozen=True)
class Reason:
    """Why a condition passed (True), failed (False) or could not be judged (None).

    `gap` is, for a failed `lte`/`lt` money limit, how much the fact would have to fall.
    For a member group, `fact` lists the group's facts, `actual` the members passing, `required`
    the members needed.
    """

    fact: str
    operator: str
    passed: bool | None
    actual: Any
    required: Any
    text_ko: str
    text_en: str
    gap: int | None = None


def household_reason(cond: Condition, actual: Any, required: Any, passed: bool | None) -> Reason:
    """Return the reason for a household condition, with the gap for a failed money limit."""
    fact = FACTS[cond.fact]
    op = OPERATORS[cond.operator]
    shown_ko = "" if cond.operator in ("is_true", "is_false") else f" {value_ko(fact, required)}"
    shown_en = "" if cond.operator in ("is_true", "is_false") else f" {value_en(fact, required)}"
    text_ko = f"{fact.label_ko}: {value_ko(fact, actual)} (기준 {op.sign('ko')}{shown_ko}) — {VERDICT_KO[passed]}"
    text_en = f"{fact.label_en}: {value_en(fact, actual)} (required {op.sign('en')}{shown_en}) — {VERDICT_EN[passed]}"
    gap = _gap(cond, actual, required, passed)
    if gap is not None:
        text_ko += f". {subject_ko(fact.label_ko)} {won_ko(gap, fact.monthly)} 줄면 기준을 충족합니다"
        text_en += f". {fact.label_en} would have to fall by {won_en(gap, fact.monthly)} to meet the limit"
    return Reason(cond.fact, cond.operator, passed, actual, required, text_ko, text_en, gap)


def _gap(cond: Condition, actual: Any, required: Any, passed: bool | None) -> int | None:
    if passed is not False or FACTS[cond.fact].type != "money" or cond.operator not in ("lte", "lt"):
        return None
    return int(actual - required) + (1 if cond.operator == "lt" else 0)


def group_reason(conds: list[Condition], required: list[Any], passing: int, need: int,
                 passed: bool | None) -> Reason:
    """Return the reason for a member group: "members with … : n (required ≥ need)"."""
    parts_ko = " 그리고 ".join(_describe(c, r, value_ko, "ko") for c, r in zip(conds, required, strict=True))
    parts_en = " and ".join(_describe(c, r, value_en, "en") for c, r in zip(conds, required, strict=True))
    text_ko = f"{parts_ko}인 가구원: {passing}명 (기준 {need}명 이상) — {VERDICT_KO[passed]}"
    text_en = f"Members with {parts_en}: {passing} (required at least {need}) — {VERDICT_EN[passed]}"
    facts = ", ".join(dict.fromkeys(c.fact for c in conds))
    return Reason(facts, conds[0].quantifier or "any", passed, passing, need, text_ko, text_en)


def _describe(cond: Condition, required: Any, fmt, lang: str) -> str:
    fact = FACTS[cond.fact]
    label = fact.label_ko if lang == "ko" else fact.label_en
    symbol = OPERATORS[cond.operator].sign(lang)
    if cond.operator in ("is_true", "is_false"):
        return f"{label} {symbol}"
    return f"{label} {symbol} {fmt(fact, required)}"

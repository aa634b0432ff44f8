"""Reasons: one per household condition and one per member group, in Korean and English.

Sentences are built when read (`text_ko`, `text_en`), so screening a whole catalogue stays cheap.
"""

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

    `gap` is, for a failed `lte`/`lt` money limit, how much the fact would have to fall. For a
    member group, `fact` lists the group's facts, `operator` is the quantifier, `actual` the
    members passing and `required` the members needed; `group` holds (condition, required value).
    """

    fact: str
    operator: str
    passed: bool | None
    actual: Any
    required: Any
    gap: int | None = None
    group: tuple[tuple[Condition, Any], ...] = ()

    @property
    def text_ko(self) -> str:
        return _group_ko(self) if self.group else _household_ko(self)

    @property
    def text_en(self) -> str:
        return _group_en(self) if self.group else _household_en(self)


def household_reason(cond: Condition, actual: Any, required: Any, passed: bool | None) -> Reason:
    """Return the reason for a household condition, with the gap for a failed money limit."""
    return Reason(cond.fact, cond.operator, passed, actual, required, _gap(cond, actual, required, passed))


def group_reason(conds: list[Condition], required: list[Any], passing: int, need: int,
                 passed: bool | None) -> Reason:
    """Return the reason for a member group: members passing all its conditions, against the need."""
    facts = ", ".join(dict.fromkeys(c.fact for c in conds))
    return Reason(facts, conds[0].quantifier or "any", passed, passing, need,
                  group=tuple(zip(conds, required, strict=True)))


def _gap(cond: Condition, actual: Any, required: Any, passed: bool | None) -> int | None:
    if passed is not False or FACTS[cond.fact].type != "money" or cond.operator not in ("lte", "lt"):
        return None
    return int(actual - required) + (1 if cond.operator == "lt" else 0)


def _shown(reason: Reason, fmt) -> str:
    if reason.operator in ("is_true", "is_false"):
        return ""
    return f" {fmt(FACTS[reason.fact], reason.required)}"


def _household_ko(r: Reason) -> str:
    fact, sign = FACTS[r.fact], OPERATORS[r.operator].sign("ko")
    text = f"{fact.label_ko}: {value_ko(fact, r.actual)} (기준 {sign}{_shown(r, value_ko)}) — {VERDICT_KO[r.passed]}"
    if r.gap is not None:
        text += f". {subject_ko(fact.label_ko)} {won_ko(r.gap, fact.monthly)} 줄면 기준을 충족합니다"
    return text


def _household_en(r: Reason) -> str:
    fact, sign = FACTS[r.fact], OPERATORS[r.operator].sign("en")
    text = f"{fact.label_en}: {value_en(fact, r.actual)} (required {sign}{_shown(r, value_en)}) — {VERDICT_EN[r.passed]}"
    if r.gap is not None:
        text += f". {fact.label_en} would have to fall by {won_en(r.gap, fact.monthly)} to meet the limit"
    return text


def _group_ko(r: Reason) -> str:
    parts = " 그리고 ".join(_describe(c, req, value_ko, "ko") for c, req in r.group)
    return f"{parts}인 가구원: {r.actual}명 (기준 {r.required}명 이상) — {VERDICT_KO[r.passed]}"


def _group_en(r: Reason) -> str:
    parts = " and ".join(_describe(c, req, value_en, "en") for c, req in r.group)
    return f"Members with {parts}: {r.actual} (required at least {r.required}) — {VERDICT_EN[r.passed]}"


def _describe(cond: Condition, required: Any, fmt, lang: str) -> str:
    fact = FACTS[cond.fact]
    label = fact.label_ko if lang == "ko" else fact.label_en
    sign = OPERATORS[cond.operator].sign(lang)
    if cond.operator in ("is_true", "is_false"):
        return f"{label} {sign}"
    return f"{label} {sign} {fmt(fact, required)}"

"""Rules as data: a Benefit has Rules (OR), a Rule has Conditions (AND).

`validate_condition` is the one gate for conditions: the loader and Django admin `clean()` call it,
so only conditions the engine can evaluate are ever stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from .catalogue import FACTS, NUMERIC, OPERATORS, QUANTIFIERS

BASES = ("median_pct",)
RULE_OUTCOMES = ("eligible", "likely")
PERIODS = ("month", "year", "once")


@dataclass(frozen=True)
class Condition:
    """`fact operator value|parameter`; member facts carry a quantifier and a group label."""

    fact: str
    operator: str
    value: Any = None  # Decimal, str, bool, tuple — already parsed by validate_condition
    parameter: str | None = None
    basis: str | None = None
    quantifier: str | None = None
    group: str = ""
    min_count: int | None = None

    @cached_property
    def is_member(self) -> bool:
        return FACTS[self.fact].scope == "member"


@dataclass(frozen=True)
class Rule:
    code: str
    conditions: tuple[Condition, ...]
    outcome: str = "eligible"
    label_ko: str = ""
    label_en: str = ""
    note_ko: str = ""
    note_en: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    legal_reference: str = ""

    @cached_property
    def household_conditions(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if not c.is_member)

    @cached_property
    def member_groups(self) -> tuple[tuple[Condition, ...], ...]:
        """Member conditions by group label, in order of first appearance (AND-ed per member)."""
        groups: dict[str, list[Condition]] = {}
        for cond in self.conditions:
            if cond.is_member:
                groups.setdefault(cond.group, []).append(cond)
        return tuple(tuple(g) for g in groups.values())

    def in_force(self, as_of: dt.date) -> bool:
        """Return whether the rule applies on `as_of` (inclusive bounds, None = open)."""
        starts = self.valid_from is None or self.valid_from <= as_of
        return starts and (self.valid_to is None or as_of <= self.valid_to)


@dataclass(frozen=True)
class AmountSpec:
    """Which declared formula estimates the amount, with its parameters by role (role -> name)."""

    formula: str
    params: Mapping[str, str] = field(default_factory=dict)
    period: str = "month"


@dataclass(frozen=True)
class Benefit:
    code: str
    name_ko: str
    name_en: str
    rules: tuple[Rule, ...]
    amount: AmountSpec | None = None
    details: Mapping[str, Any] = field(default_factory=dict, compare=False)  # the rest of the seed entry

    def rules_in_force(self, as_of: dt.date) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.in_force(as_of))


class ConditionError(ValueError):
    """A condition the engine cannot evaluate; `field` is fact, operator, value, parameter, ..."""

    def __init__(self, field: str, message_ko: str, message_en: str):
        super().__init__(f"{field}: {message_ko} / {message_en}")
        self.field = field
        self.message_ko = message_ko
        self.message_en = message_en


# ---- validation ----------------------------------------------------------------------------------


def validate_condition(
    fact: str, operator: str, value: Any = None, *, parameter: str | None = None, basis: str | None = None,
    quantifier: str | None = None, group: str = "", min_count: int | None = None,
) -> Condition:
    """Return the Condition with its value parsed, or raise ConditionError naming the field.

    Accepts raw values as an admin form gives them: numbers, strings ("820556", "[1, 5]",
    "seoul, metro", "true"), lists. Parameters are checked by name elsewhere (the loader).
    """
    spec = _fact(fact)
    op = _operator(operator, spec)
    _check_source(op, value, parameter, basis, spec)
    parsed = None if parameter or op.arity == "none" else parse_value(spec, op.arity, value)
    quantifier, min_count = _quantifier(spec, quantifier, min_count)
    return Condition(fact, operator, parsed, parameter or None, basis or None, quantifier, group or "", min_count)


def validate_rule(rule: Rule) -> Rule:
    """Raise ConditionError if member conditions of one group disagree on their quantifier."""
    seen: dict[str, tuple[str | None, int | None]] = {}
    for cond in rule.conditions:
        if cond.is_member and seen.setdefault(cond.group, (cond.quantifier, cond.min_count)) != (
            cond.quantifier, cond.min_count
        ):
            raise ConditionError(
                "quantifier", f"그룹 {cond.group!r}의 조건은 같은 수량 조건을 써야 합니다",
                f"conditions of group {cond.group!r} must share one quantifier and min_count",
            )
    return rule


def _fact(name: str):
    if name not in FACTS:
        raise ConditionError("fact", f"알 수 없는 사실 항목입니다: {name!r}", f"unknown fact {name!r}")
    return FACTS[name]


def _operator(name: str, spec):
    op = OPERATORS.get(name)
    if op is None:
        raise ConditionError("operator", f"알 수 없는 연산자입니다: {name!r}", f"unknown operator {name!r}")
    if spec.type not in op.types:
        raise ConditionError(
            "operator", f"연산자 {name!r}는 {spec.type} 형식의 {spec.name}에 쓸 수 없습니다",
            f"operator {name!r} does not apply to {spec.name} of type {spec.type}",
        )
    return op


def _check_source(op, value, parameter, basis, spec) -> None:
    if op.arity == "none":
        if value not in (None, "") or parameter:
            raise ConditionError("value", f"{op.name} 연산자에는 값을 쓰지 않습니다",
                                 f"operator {op.name} takes no value")
        return
    if parameter and value not in (None, ""):
        raise ConditionError("value", "값과 매개변수 중 하나만 쓰십시오", "give a value or a parameter, not both")
    if not parameter and value in (None, ""):
        raise ConditionError("value", "값이 없습니다", "a value is required")
    if parameter and op.arity != "one":
        raise ConditionError("parameter", f"{op.name} 연산자는 매개변수를 쓸 수 없습니다",
                             f"operator {op.name} cannot take a parameter")
    _check_basis(basis, parameter, spec)


def _check_basis(basis, parameter, spec) -> None:
    if not basis:
        return
    if basis not in BASES:
        raise ConditionError("basis", f"알 수 없는 기준입니다: {basis!r}", f"unknown basis {basis!r}")
    if not parameter or spec.type != "money":
        raise ConditionError("basis", "median_pct 기준은 금액 항목과 매개변수에만 쓸 수 있습니다",
                             "basis median_pct needs a money fact and a parameter")


def _quantifier(spec, quantifier, min_count) -> tuple[str | None, int | None]:
    if spec.scope == "household":
        if quantifier:
            raise ConditionError("quantifier", f"가구 항목 {spec.name}에는 수량 조건을 쓰지 않습니다",
                                 f"household fact {spec.name} takes no quantifier")
        return None, None
    quantifier = quantifier or "any"
    if quantifier not in QUANTIFIERS:
        raise ConditionError("quantifier", f"알 수 없는 수량 조건입니다: {quantifier!r}",
                             f"unknown quantifier {quantifier!r}")
    if quantifier != "count_at_least":
        return quantifier, None
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ConditionError("min_count", "count_at_least에는 1 이상의 min_count가 필요합니다",
                             "count_at_least needs min_count of 1 or more")
    return quantifier, min_count


# ---- values --------------------------------------------------------------------------------------


def parse_value(spec, arity: str, raw: Any) -> Any:
    """Return `raw` parsed for the fact's type and the operator's arity, or raise ConditionError."""
    if arity == "one":
        return _scalar(spec, raw)
    items = _as_list(raw)
    if arity == "pair":
        return _pair(spec, items)
    if not items:
        raise ConditionError("value", "값 목록이 비어 있습니다", "the list of values is empty")
    return tuple(_scalar(spec, item) for item in items)


def _pair(spec, items) -> tuple[Decimal, Decimal]:
    if items is None or len(items) != 2:
        raise ConditionError("value", "between에는 [하한, 상한] 두 수가 필요합니다",
                             "between needs two numbers [low, high]")
    low, high = (_scalar(spec, item) for item in items)
    if low > high:
        raise ConditionError("value", "하한이 상한보다 큽니다", "the low bound is above the high bound")
    return low, high


def _as_list(raw: Any) -> list | None:
    if isinstance(raw, list | tuple):
        return list(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            try:
                loaded = json.loads(text)
            except ValueError:
                return None
            return loaded if isinstance(loaded, list) else None
        return [part.strip() for part in text.split(",") if part.strip()]
    return None


def _scalar(spec, raw: Any) -> Any:
    if spec.type in NUMERIC:
        return _number(spec, raw)
    if spec.type == "bool":
        return _boolean(raw)
    if raw not in spec.values:
        allowed = ", ".join(spec.values)
        raise ConditionError("value", f"{spec.name}에 없는 값입니다: {raw!r} (허용: {allowed})",
                             f"{raw!r} is not a value of {spec.name} (allowed: {allowed})")
    return raw


def _number(spec, raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ConditionError("value", f"{spec.name}에는 숫자가 필요합니다: {raw!r}",
                             f"{spec.name} needs a number, got {raw!r}")
    try:
        number = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise ConditionError("value", f"숫자가 아닙니다: {raw!r}", f"not a number: {raw!r}") from None
    if not number.is_finite() or (spec.type != "percent" and number != number.to_integral_value()):
        raise ConditionError("value", f"{spec.name}에는 정수가 필요합니다: {raw!r}",
                             f"{spec.name} needs a whole number, got {raw!r}")
    return number


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    raise ConditionError("value", f"true 또는 false가 필요합니다: {raw!r}", f"needs true or false, got {raw!r}")

"""Dated parameters: every threshold, rate and amount the engine uses is looked up here by name.

A parameter holds dated values (`valid_from`/`valid_to` inclusive). A value is a number or a table
keyed by the value of a household fact (`key_fact`), e.g. `median_income` by `household_size`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

Number = Decimal
Value = Decimal | Mapping[Any, Decimal]
RATE_UNITS = {"percent": 100, "rate": 1}


class ParameterError(LookupError):
    """A parameter, a value on a date, or a key that the catalogue does not define."""


@dataclass(frozen=True)
class ParamValue:
    valid_from: dt.date
    valid_to: dt.date | None
    value: Value
    legal_reference: str = ""
    verification: str = "unverified"
    source: str = ""

    def in_force(self, as_of: dt.date) -> bool:
        """Return whether `as_of` falls within [valid_from, valid_to] (open end when None)."""
        return self.valid_from <= as_of and (self.valid_to is None or as_of <= self.valid_to)


@dataclass(frozen=True)
class Parameter:
    name: str
    values: tuple[ParamValue, ...]
    unit: str = "krw"
    label_ko: str = ""
    label_en: str = ""
    key_fact: str | None = None
    extend: str | None = None  # "last_difference" (8+ rule) or "last_value" ("4인 이상")

    def value_on(self, as_of: dt.date) -> ParamValue:
        """Return the value in force on `as_of` (the latest valid_from wins an overlap)."""
        in_force = [v for v in self.values if v.in_force(as_of)]
        if not in_force:
            raise ParameterError(f"parameter {self.name!r} has no value on {as_of.isoformat()}")
        return max(in_force, key=lambda v: v.valid_from)

    def lookup(self, table: Mapping[Any, Decimal], key: Any) -> Decimal:
        """Return the table's value for `key`, extending past the largest integer key if declared."""
        if key in table:
            return table[key]
        if self.extend and isinstance(key, int) and not isinstance(key, bool):
            return _extend(table, key, self.extend, self.name)
        raise ParameterError(f"parameter {self.name!r} has no value for {self.key_fact}={key!r}")


def _extend(table: Mapping[Any, Decimal], key: int, how: str, name: str) -> Decimal:
    keys = sorted(k for k in table if isinstance(k, int))
    last = keys[-1]
    if key < last:
        raise ParameterError(f"parameter {name!r} has no value for key {key}")
    if how == "last_value":
        return table[last]
    # 8인 이상: 7인 + (7인 − 6인) × (n − 7), 보건복지부 기준 중위소득 고시
    return table[last] + (table[last] - table[keys[-2]]) * (key - last)


@dataclass(frozen=True)
class ParameterSet:
    """All parameters by name; `value` resolves a name on a date (and a key from `facts`)."""

    parameters: Mapping[str, Parameter] = field(default_factory=dict)

    def get(self, name: str) -> Parameter:
        """Return the named parameter or raise ParameterError."""
        try:
            return self.parameters[name]
        except KeyError:
            raise ParameterError(f"unknown parameter {name!r}") from None

    def value(self, name: str, as_of: dt.date, facts: Any = None) -> Decimal:
        """Return the number in force on `as_of`; a keyed value takes its key from `facts`.

        `facts` is a mapping or an object with the key fact as attribute (HouseholdFacts).
        """
        param = self.get(name)
        raw = param.value_on(as_of).value
        if param.key_fact is None:
            return raw
        if facts is None:
            raise ParameterError(f"parameter {name!r} is keyed by {param.key_fact}: facts are needed")
        return param.lookup(raw, _fact(facts, param.key_fact))

    def table(self, name: str, as_of: dt.date) -> Mapping[Any, Decimal]:
        """Return the keyed table in force on `as_of` (the vectorised path indexes it by code)."""
        raw = self.get(name).value_on(as_of).value
        if not isinstance(raw, Mapping):
            raise ParameterError(f"parameter {name!r} is not keyed")
        return raw

    def rate(self, name: str, as_of: dt.date, facts: Any = None) -> Fraction:
        """Return a rate as an exact fraction (30 percent and 0.3 rate both give 3/10)."""
        unit = self.get(name).unit
        return Fraction(self.value(name, as_of, facts)) / RATE_UNITS.get(unit, 1)

    def integer(self, name: str, as_of: dt.date, facts: Any = None) -> int:
        """Return a whole-number parameter (won, years, cc) as an int."""
        value = self.value(name, as_of, facts)
        if value != value.to_integral_value():
            raise ParameterError(f"parameter {name!r} must be a whole number, got {value}")
        return int(value)


def _fact(facts: Any, name: str) -> Any:
    return facts[name] if isinstance(facts, Mapping) else getattr(facts, name)

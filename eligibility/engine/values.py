"""The required value of a condition: its literal, or its parameter on the date (median basis aware)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .income import half_up
from .params import ParameterSet
from .rules import Condition


def required_value(cond: Condition, facts: Any, params: ParameterSet, as_of: dt.date) -> Any:
    """Return what the fact is compared with.

    With `basis: median_pct` the parameter is a percentage of the household's median income and the
    threshold is median × pct / 100 rounded half-up to the won (it reproduces the published tables).
    """
    if cond.parameter is None:
        return cond.value
    if cond.basis == "median_pct":
        return Decimal(half_up(int(facts.median_income), params.rate(cond.parameter, as_of, facts)))
    return params.value(cond.parameter, as_of, facts)

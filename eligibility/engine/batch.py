"""Vectorised evaluator: every benefit for n households at once, same semantics as evaluate.py.

Outcome codes are int8: 0 ineligible, 1 needs_info, 2 likely, 3 eligible, -1 no rule in force.
Estimated amounts are int64 won, -1 where there is none (not eligible/likely, or no formula).
A condition's result is a pair of boolean arrays (true, false); where both are False the fact
is unknown. Identical conditions across rules are computed once per chunk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .amounts import AMOUNT_FORMULAS
from .batchfacts import BatchFacts, derive_batch_facts
from .catalogue import FACTS, NO_RULE, OPERATORS, OUTCOME_CODE

# Re-exported so callers need one import for the whole vectorised path.
from .columns import Columns, columns_from_arrays, columns_from_households  # noqa: E402,F401,I001
from .income import half_up
from .params import ParameterSet
from .rules import Benefit, Condition, Rule

NO_AMOUNT = -1


@dataclass(frozen=True)
class BatchResult:
    """outcomes[b, i] and amounts[b, i] for benefit b (order of `codes`) and household i."""

    codes: tuple[str, ...]
    outcomes: np.ndarray  # int8 (benefits, households)
    amounts: np.ndarray  # int64 (benefits, households), NO_AMOUNT where none
    periods: tuple[str | None, ...]

    def outcome(self, code: str) -> np.ndarray:
        return self.outcomes[self.codes.index(code)]

    def amount(self, code: str) -> np.ndarray:
        return self.amounts[self.codes.index(code)]


def evaluate_batch(columns: Columns, benefits: Sequence[Benefit], params: ParameterSet, as_of: dt.date, *,
                   chunk_size: int = 65536, workers: int = 1) -> BatchResult:
    """Return outcomes and amounts of every benefit for every household, deriving facts on the way.

    Households are processed in chunks (bounded memory), on `workers` threads (NumPy releases the
    GIL in its loops).
    """
    benefits = tuple(benefits)
    outcomes = np.full((len(benefits), columns.n), NO_RULE, dtype=np.int8)
    amounts = np.full((len(benefits), columns.n), NO_AMOUNT, dtype=np.int64)
    starts = range(0, columns.n, chunk_size)

    def run(start: int) -> None:
        stop = min(start + chunk_size, columns.n)
        ctx = derive_batch_facts(columns.slice(start, stop), params, as_of)
        _evaluate_chunk(ctx, benefits, outcomes[:, start:stop], amounts[:, start:stop])

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, starts))
    periods = tuple(b.amount.period if b.amount else None for b in benefits)
    return BatchResult(tuple(b.code for b in benefits), outcomes, amounts, periods)


def _evaluate_chunk(ctx: BatchFacts, benefits: tuple[Benefit, ...], outcomes: np.ndarray,
                    amounts: np.ndarray) -> None:
    cache: dict[Any, tuple[np.ndarray, np.ndarray]] = {}
    for j, benefit in enumerate(benefits):
        rules = benefit.rules_in_force(ctx.as_of)
        if not rules:
            continue
        best = rule_outcome(ctx, rules[0], cache)
        for rule in rules[1:]:
            best = np.maximum(best, rule_outcome(ctx, rule, cache))
        outcomes[j] = best
        if benefit.amount is not None:
            amounts[j] = _amount(ctx, benefit, best)


def _amount(ctx: BatchFacts, benefit: Benefit, outcome: np.ndarray) -> np.ndarray:
    spec = benefit.amount
    estimate = AMOUNT_FORMULAS[spec.formula].vector(ctx, spec.params)
    return np.where(outcome >= OUTCOME_CODE["likely"], estimate, NO_AMOUNT)


def rule_outcome(ctx: BatchFacts, rule: Rule, cache: dict) -> np.ndarray:
    """Return the rule's int8 outcome per household: its outcome, needs_info or ineligible."""
    results = [household_condition(ctx, c, cache) for c in rule.household_conditions]
    results += [member_group(ctx, conds, cache) for conds in rule.member_groups]
    all_true = np.logical_and.reduce([t for t, _ in results]) if results else np.ones(ctx.n, bool)
    any_false = np.logical_or.reduce([f for _, f in results]) if results else np.zeros(ctx.n, bool)
    code = np.int8(OUTCOME_CODE[rule.outcome])
    undecided = np.where(all_true, code, np.int8(OUTCOME_CODE["needs_info"]))
    return np.where(any_false, np.int8(OUTCOME_CODE["ineligible"]), undecided).astype(np.int8)


def household_condition(ctx: BatchFacts, cond: Condition, cache: dict) -> tuple[np.ndarray, np.ndarray]:
    """Return (true, false) arrays of a household condition; unknown facts are neither."""
    key = (cond.fact, cond.operator, cond.value, cond.parameter, cond.basis)
    if key not in cache:
        true = OPERATORS[cond.operator].vector(ctx.hh(cond.fact), required(ctx, cond))
        known = ctx.known(cond.fact)
        cache[key] = (true, ~true) if known is None else (true & known, ~true & known)
    return cache[key]


def member_group(ctx: BatchFacts, conds: tuple[Condition, ...], cache: dict) -> tuple[np.ndarray, np.ndarray]:
    """Return (true, false) of a member group: members passing all of it, counted against the need.

    Member facts are always known, so a group is never unknown.
    """
    first = conds[0]
    key = (tuple((c.fact, c.operator, c.value, c.parameter, c.basis) for c in conds), first.quantifier,
           first.min_count)
    if key not in cache:
        passing = np.logical_and.reduce([_member_test(ctx, c) for c in conds])
        count = ctx.segment_sum(passing)
        true = count >= _need(ctx, first)
        cache[key] = (true, ~true)
    return cache[key]


def _member_test(ctx: BatchFacts, cond: Condition) -> np.ndarray:
    return OPERATORS[cond.operator].vector(ctx.mem(cond.fact), _to_members(ctx, required(ctx, cond)))


def _to_members(ctx: BatchFacts, req: Any) -> Any:
    if isinstance(req, tuple) and any(isinstance(r, np.ndarray) for r in req):
        return tuple(ctx.to_members(r) for r in req)
    return req


def _need(ctx: BatchFacts, cond: Condition) -> Any:
    if cond.quantifier == "all":
        return ctx.counts
    return cond.min_count if cond.quantifier == "count_at_least" else 1


# ---- required values -----------------------------------------------------------------------------


def required(ctx: BatchFacts, cond: Condition) -> Any:
    """Return the compiled required value: integer bounds (numeric), codes (enum) or 0/1 (bool)."""
    fact = FACTS[cond.fact]
    if fact.type == "enum":
        return _enum_codes(fact, cond.value)
    if fact.type == "bool":
        return int(cond.value) if cond.value is not None else None
    if cond.basis == "median_pct":
        threshold = half_up(ctx.hh("median_income"), ctx.rate(cond.parameter))
        return threshold, threshold
    if cond.parameter:
        return ctx.param_bounds(cond.parameter, fact.scale)
    if cond.operator == "between":
        return (*_bounds(cond.value[0], fact.scale), *_bounds(cond.value[1], fact.scale))
    return _bounds(cond.value, fact.scale)


def _bounds(value: Any, scale: int) -> tuple[int, int]:
    scaled = Fraction(value) * scale
    return scaled.numerator // scaled.denominator, -((-scaled.numerator) // scaled.denominator)


def _enum_codes(fact, value: Any) -> Any:
    if isinstance(value, tuple):
        return np.array([fact.values.index(v) for v in value], dtype=np.int8)
    return fact.values.index(value)

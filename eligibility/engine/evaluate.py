"""Scalar evaluator: `screen` one household against benefits on a date, with reasons.

Per rule: every condition true -> the rule's outcome; one false -> ineligible; else needs_info
naming the missing facts. Per benefit: the best rule in force (ineligible < needs_info < likely <
eligible); a benefit without a rule in force is not listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .amounts import AMOUNT_FORMULAS
from .catalogue import OPERATORS, OUTCOME_CODE
from .facts import HouseholdFacts, derive_facts
from .household import Household
from .params import ParameterSet
from .reasons import Reason, group_reason, household_reason
from .rules import Benefit, Condition, Rule
from .values import required_value


@dataclass(frozen=True)
class Amount:
    krw: int
    period: str  # month, year, once


@dataclass(frozen=True)
class Match:
    benefit_code: str
    outcome: str
    reasons: tuple[Reason, ...]
    estimated_amount: Amount | None = None
    rule_code: str = ""
    missing_facts: tuple[str, ...] = ()
    note_ko: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Screening:
    as_of: dt.date
    matches: tuple[Match, ...]
    facts: HouseholdFacts | None = None

    def match(self, code: str) -> Match | None:
        """Return the match for a benefit code, or None if it was not listed."""
        return next((m for m in self.matches if m.benefit_code == code), None)


class CachedParameters:
    """A ParameterSet view for one household and date: each name is resolved once per screening."""

    def __init__(self, params: ParameterSet, facts: HouseholdFacts, as_of: dt.date):
        self._params, self._facts, self._as_of = params, facts, as_of
        self._cache: dict[tuple, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._params, name)

    def value(self, name: str, as_of: dt.date, facts: Any = None) -> Any:
        return self._memo(("value", name, as_of, facts is None), self._params.value, name, as_of, facts)

    def rate(self, name: str, as_of: dt.date, facts: Any = None) -> Any:
        return self._memo(("rate", name, as_of, facts is None), self._params.rate, name, as_of, facts)

    def _memo(self, key: tuple, fn, name: str, as_of: dt.date, facts: Any) -> Any:
        # Only lookups keyed by this household's facts (or none) are cached: other facts may differ.
        if facts is not None and facts is not self._facts:
            return fn(name, as_of, facts)
        if key not in self._cache:
            self._cache[key] = fn(name, as_of, facts)
        return self._cache[key]


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    outcome: str
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]


def screen(household: Household, benefits: Iterable[Benefit], params: ParameterSet, as_of: dt.date) -> Screening:
    """Return the Screening of `household` against `benefits` on `as_of`."""
    facts = derive_facts(household, params, as_of)
    params = CachedParameters(params, facts, as_of)
    matches = (match_benefit(b, facts, params, as_of) for b in benefits)
    return Screening(as_of, tuple(m for m in matches if m is not None), facts)


def match_benefit(benefit: Benefit, facts: HouseholdFacts, params: ParameterSet, as_of: dt.date) -> Match | None:
    """Return the benefit's Match from its best rule in force, or None when none is in force."""
    results = [evaluate_rule(rule, facts, params, as_of) for rule in benefit.rules_in_force(as_of)]
    if not results:
        return None
    best = max(results, key=lambda r: OUTCOME_CODE[r.outcome])  # the first of equals wins
    return Match(
        benefit_code=benefit.code, outcome=best.outcome, reasons=best.reasons,
        estimated_amount=estimate_amount(benefit, best.outcome, facts, params, as_of),
        rule_code=best.rule.code, missing_facts=best.missing, note_ko=best.rule.note_ko, note_en=best.rule.note_en,
    )


def estimate_amount(benefit: Benefit, outcome: str, facts: HouseholdFacts, params: ParameterSet,
                    as_of: dt.date) -> Amount | None:
    """Return the estimated amount when the outcome is eligible or likely and a formula is declared."""
    spec = benefit.amount
    if spec is None or OUTCOME_CODE[outcome] < OUTCOME_CODE["likely"]:
        return None
    krw = AMOUNT_FORMULAS[spec.formula].scalar(facts, spec.params, params, as_of)
    return Amount(int(krw), spec.period)


def evaluate_rule(rule: Rule, facts: HouseholdFacts, params: ParameterSet, as_of: dt.date) -> RuleResult:
    """Return the rule's outcome on the facts with one reason per household condition and group."""
    reasons = [_household(c, facts, params, as_of) for c in rule.household_conditions]
    reasons += [_group(conds, facts, params, as_of) for conds in rule.member_groups]
    missing = tuple(dict.fromkeys(f for r in reasons if r.passed is None for f in r.fact.split(", ")))
    return RuleResult(rule, _outcome(rule, [r.passed for r in reasons]), tuple(reasons), missing)


def _outcome(rule: Rule, passed: Sequence[bool | None]) -> str:
    if any(p is False for p in passed):
        return "ineligible"
    return "needs_info" if any(p is None for p in passed) else rule.outcome


def _household(cond: Condition, facts: HouseholdFacts, params: ParameterSet, as_of: dt.date) -> Reason:
    actual = facts.get(cond.fact)
    required = required_value(cond, facts, params, as_of)
    return household_reason(cond, actual, required, _test(cond, actual, required))


def _test(cond: Condition, actual: Any, required: Any) -> bool | None:
    return None if actual is None else bool(OPERATORS[cond.operator].scalar(actual, required))


def _group(conds: tuple[Condition, ...], facts: HouseholdFacts, params: ParameterSet, as_of: dt.date) -> Reason:
    """Return the group's reason: members passing every condition of the group, against the need."""
    required = [required_value(c, facts, params, as_of) for c in conds]
    per_member = [_all_of([_test(c, m.get(c.fact), r) for c, r in zip(conds, required, strict=True)])
                  for m in facts.members]
    passing = sum(p is True for p in per_member)
    unknown = sum(p is None for p in per_member)
    need = group_need(conds[0], len(facts.members))
    passed = True if passing >= need else (False if passing + unknown < need else None)
    return group_reason(conds, required, passing, need, passed)


def _all_of(results: list[bool | None]) -> bool | None:
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def group_need(cond: Condition, size: int) -> int:
    """Return how many members must pass the group: any 1, all every member, count_at_least n."""
    if cond.quantifier == "all":
        return size
    return cond.min_count if cond.quantifier == "count_at_least" else 1

"""The screening output JSON shape (docs/household-format.md), for the `screen` command and APIs."""

from __future__ import annotations

from typing import Any

from .evaluate import Match, Screening
from .reasons import Reason


def screening_to_dict(screening: Screening) -> dict[str, Any]:
    """Return `{"as_of": ..., "results": [...]}`: JSON-ready, money as int won."""
    return {"as_of": screening.as_of.isoformat(), "results": [match_to_dict(m) for m in screening.matches]}


def match_to_dict(match: Match) -> dict[str, Any]:
    """Return one result: outcome, estimated amounts (monthly only for a monthly period), reasons."""
    amount = match.estimated_amount
    return {
        "benefit": match.benefit_code,
        "outcome": match.outcome,
        "rule": match.rule_code,
        "missing_facts": list(match.missing_facts),
        "estimated_monthly_amount": amount.krw if amount and amount.period == "month" else None,
        "estimated_amount": {"krw": amount.krw, "period": amount.period} if amount else None,
        "note_ko": match.note_ko,
        "note_en": match.note_en,
        "reasons": [reason_to_dict(r) for r in match.reasons],
    }


def reason_to_dict(reason: Reason) -> dict[str, Any]:
    """Return one reason with values made JSON-safe (Decimal -> int or str)."""
    return {
        "fact": reason.fact, "operator": reason.operator, "passed": reason.passed,
        "actual": _json(reason.actual), "required": _json(reason.required),
        "text_ko": reason.text_ko, "text_en": reason.text_en, "gap": reason.gap,
    }


def _json(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return int(value) if value == value.to_integral_value() else str(value)

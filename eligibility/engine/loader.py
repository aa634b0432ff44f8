"""Load the seed catalogue format (docs/engine-design.md) into engine dataclasses, without a DB.

Every condition goes through `validate_condition`; a parameter or formula that the catalogue does
not declare is an error naming its place, e.g. `benefits[3].rules[0].conditions[1].value`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .amounts import AMOUNT_FORMULAS
from .params import Parameter, ParameterSet, ParamValue
from .rules import (
    PERIODS,
    RULE_OUTCOMES,
    AmountSpec,
    Benefit,
    ConditionError,
    Rule,
    validate_condition,
    validate_rule,
)

BENEFIT_KEYS = {"code", "name_ko", "name_en", "rules", "amount"}


class CatalogueError(ValueError):
    """A seed catalogue entry the engine cannot use; `field` is its dotted path."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Catalogue:
    benefits: tuple[Benefit, ...]
    parameters: ParameterSet

    def benefit(self, code: str) -> Benefit:
        return next(b for b in self.benefits if b.code == code)


def load_catalogue(source: str | Path | Mapping) -> Catalogue:
    """Return the Catalogue from a YAML path or an already-parsed mapping."""
    doc = source if isinstance(source, Mapping) else yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    params = ParameterSet({p.name: p for p in (_parameter(d, f"parameters[{i}]")
                                                for i, d in enumerate(doc.get("parameters") or []))})
    benefits = tuple(_benefit(d, f"benefits[{i}]", params) for i, d in enumerate(doc.get("benefits") or []))
    return Catalogue(benefits, params)


# ---- parameters ----------------------------------------------------------------------------------


def _parameter(doc: Mapping, where: str) -> Parameter:
    return Parameter(
        name=_required(doc, "name", where), unit=doc.get("unit", "krw"),
        label_ko=doc.get("label_ko", ""), label_en=doc.get("label_en", ""),
        key_fact=doc.get("key_fact"), extend=doc.get("extend"),
        values=tuple(_param_value(v, f"{where}.values[{j}]") for j, v in enumerate(doc.get("values") or [])),
    )


def _param_value(doc: Mapping, where: str) -> ParamValue:
    raw = _required(doc, "value", where)
    value = {k: _decimal(v, f"{where}.value.{k}") for k, v in raw.items()} if isinstance(raw, Mapping) \
        else _decimal(raw, f"{where}.value")
    return ParamValue(
        valid_from=_date(_required(doc, "valid_from", where), f"{where}.valid_from"),
        valid_to=_date(doc.get("valid_to"), f"{where}.valid_to"),
        value=value, legal_reference=doc.get("legal_reference", "") or "",
        verification=doc.get("verification", "unverified"), source=str(doc.get("source", "") or ""),
    )


def _decimal(raw: Any, where: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise CatalogueError(where, f"not a number: {raw!r}")
    return Decimal(str(raw))  # str() keeps YAML's 1.04 as 1.04, not its binary float


# ---- benefits ------------------------------------------------------------------------------------


def _benefit(doc: Mapping, where: str, params: ParameterSet) -> Benefit:
    rules = tuple(_rule(r, f"{where}.rules[{j}]", params) for j, r in enumerate(doc.get("rules") or []))
    return Benefit(
        code=_required(doc, "code", where), name_ko=doc.get("name_ko", ""), name_en=doc.get("name_en", ""),
        rules=rules, amount=_amount(doc.get("amount"), f"{where}.amount", params),
        details={k: v for k, v in doc.items() if k not in BENEFIT_KEYS},
    )


def _amount(doc: Mapping | None, where: str, params: ParameterSet) -> AmountSpec | None:
    if not doc or not isinstance(doc, Mapping) or "formula" not in doc:
        return None  # free-text amounts in the seed are information, not a formula
    formula = AMOUNT_FORMULAS.get(doc["formula"])
    if formula is None:
        raise CatalogueError(f"{where}.formula", f"unknown formula {doc['formula']!r}")
    roles = dict(doc.get("params") or {})
    for role in formula.roles:
        if role not in roles:
            raise CatalogueError(f"{where}.params", f"formula {formula.name} needs role {role!r}")
    for role, name in roles.items():
        _known_parameter(name, f"{where}.params.{role}", params)
    period = doc.get("period", "month")
    if period not in PERIODS:
        raise CatalogueError(f"{where}.period", f"period must be one of {', '.join(PERIODS)}")
    return AmountSpec(formula.name, roles, period)


def _rule(doc: Mapping, where: str, params: ParameterSet) -> Rule:
    outcome = doc.get("outcome", "eligible")
    if outcome not in RULE_OUTCOMES:
        raise CatalogueError(f"{where}.outcome", "outcome must be eligible or likely")
    conditions = tuple(_condition(c, f"{where}.conditions[{k}]", params)
                       for k, c in enumerate(doc.get("conditions") or []))
    rule = Rule(
        code=_required(doc, "code", where), conditions=conditions, outcome=outcome,
        label_ko=doc.get("label_ko", ""), label_en=doc.get("label_en", ""),
        note_ko=doc.get("note_ko", "") or "", note_en=doc.get("note_en", "") or "",
        valid_from=_date(doc.get("valid_from"), f"{where}.valid_from"),
        valid_to=_date(doc.get("valid_to"), f"{where}.valid_to"),
        legal_reference=doc.get("legal_reference", "") or "",
    )
    try:
        return validate_rule(rule)
    except ConditionError as err:
        raise CatalogueError(f"{where}.conditions", str(err)) from None


def _condition(doc: Mapping, where: str, params: ParameterSet):
    try:
        cond = validate_condition(
            doc.get("fact"), doc.get("operator"), doc.get("value"), parameter=doc.get("parameter"),
            basis=doc.get("basis"), quantifier=doc.get("quantifier"), group=doc.get("group", "") or "",
            min_count=doc.get("min_count"),
        )
    except ConditionError as err:
        raise CatalogueError(f"{where}.{err.field}", str(err)) from None
    if cond.parameter:
        _known_parameter(cond.parameter, f"{where}.parameter", params)
    return cond


def _known_parameter(name: str, where: str, params: ParameterSet) -> None:
    if name not in params.parameters:
        raise CatalogueError(where, f"unknown parameter {name!r}")


def _required(doc: Mapping, key: str, where: str) -> Any:
    if doc.get(key) in (None, ""):
        raise CatalogueError(f"{where}.{key}", "required")
    return doc[key]


def _date(raw: Any, where: str) -> dt.date | None:
    if raw is None or isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise CatalogueError(where, f"not a date: {raw!r}") from None

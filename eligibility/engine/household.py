"""Input dataclasses for one household and `parse_household`, the JSON format's only reader.

The format is documented field by field in docs/household-format.md. Money is whole won: incomes
a month, assets a stock. Enumerations are the English codes listed in `ENUMS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .regions import SIDO

ENUMS: dict[str, tuple[str, ...]] = {
    "tenure": ("rent", "jeonse", "own", "free"),
    "relation": ("self", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other"),
    "disability": ("none", "mild", "severe"),
    "school": ("none", "elementary", "middle", "high", "university"),
}
INCOME_FIELDS = ("earned", "business", "property", "public_transfer", "private_transfer")
ASSET_FIELDS = ("housing", "general", "financial", "car_value", "car_cc", "debt")
REQUIRED_FLAGS = ("nbls_recipient", "near_poor", "single_parent")
OPTIONAL_FLAGS = (
    "basic_pension_recipient", "crisis_event", "veteran", "dual_income", "job_seeker", "occupational_pension",
)


class HouseholdFormatError(ValueError):
    """A household document that does not follow the format; `field` is a dotted path."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Income:
    """One member's monthly income by kind, whole won."""

    earned: int = 0
    business: int = 0
    property: int = 0
    public_transfer: int = 0
    private_transfer: int = 0


@dataclass(frozen=True)
class Member:
    relation: str
    birth_date: dt.date
    disability: str = "none"
    pregnant: bool = False
    school: str = "none"
    income: Income = Income()


@dataclass(frozen=True)
class Region:
    sido: str
    sigungu: str = ""


@dataclass(frozen=True)
class Housing:
    tenure: str
    monthly_rent: int = 0


@dataclass(frozen=True)
class Assets:
    """Household assets in won; `housing` is the home lived in (its value, or the deposit if rented).

    `car_cc` 0 means the displacement is not known: the car is then judged on its value alone.
    """

    housing: int = 0
    general: int = 0
    financial: int = 0
    car_value: int = 0
    car_cc: int = 0
    debt: int = 0


@dataclass(frozen=True)
class Status:
    """Recipient and situation flags; the optional ones are None when not given (unknown)."""

    nbls_recipient: bool
    near_poor: bool
    single_parent: bool
    basic_pension_recipient: bool | None = None
    crisis_event: bool | None = None
    veteran: bool | None = None
    dual_income: bool | None = None
    job_seeker: bool | None = None
    occupational_pension: bool | None = None


@dataclass(frozen=True)
class Household:
    region: Region
    housing: Housing
    members: tuple[Member, ...]
    assets: Assets
    status: Status
    as_of: dt.date | None = None

    @property
    def self_member(self) -> Member:
        """The one member whose relation is `self`."""
        return next(m for m in self.members if m.relation == "self")


# ---- parsing -------------------------------------------------------------------------------------


def parse_household(doc: Any) -> Household:
    """Return the Household a JSON-shaped dict describes, or raise HouseholdFormatError."""
    doc = _mapping(doc, "household")
    members = _members(doc.get("members"), "members")
    return Household(
        region=_region(_required(doc, "region", "")),
        housing=_housing(_required(doc, "housing", "")),
        members=members,
        assets=_assets(doc.get("assets", {}), "assets"),
        status=_status(_required(doc, "status", "")),
        as_of=_date(doc["as_of"], "as_of") if doc.get("as_of") is not None else None,
    )


def _required(doc: dict, key: str, prefix: str) -> Any:
    if key not in doc or doc[key] is None:
        raise HouseholdFormatError(_path(prefix, key), "필수 항목이 없습니다 / required field is missing")
    return doc[key]


def _path(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _mapping(value: Any, field: str) -> dict:
    if not isinstance(value, dict):
        raise HouseholdFormatError(field, "객체(mapping)여야 합니다 / must be an object")
    return value


def _region(doc: Any) -> Region:
    doc = _mapping(doc, "region")
    sido = _string(_required(doc, "sido", "region"), "region.sido")
    if sido not in SIDO:
        raise HouseholdFormatError("region.sido", f"알 수 없는 시도입니다: {sido!r} / unknown province or city")
    return Region(sido=sido, sigungu=_string(doc.get("sigungu") or "", "region.sigungu"))


def _housing(doc: Any) -> Housing:
    doc = _mapping(doc, "housing")
    tenure = _enum(_required(doc, "tenure", "housing"), "tenure", "housing.tenure")
    return Housing(tenure=tenure, monthly_rent=_money(doc.get("monthly_rent", 0), "housing.monthly_rent"))


def _members(items: Any, field: str) -> tuple[Member, ...]:
    if not isinstance(items, list) or not items:
        raise HouseholdFormatError(field, "가구원 목록이 비어 있거나 없습니다 / must be a non-empty list")
    members = tuple(_member(item, f"{field}[{i}]") for i, item in enumerate(items))
    if sum(m.relation == "self" for m in members) != 1:
        raise HouseholdFormatError(field, "본인(self)은 정확히 한 명이어야 합니다 / exactly one member must be self")
    return members


def _member(doc: Any, field: str) -> Member:
    doc = _mapping(doc, field)
    school = doc.get("school")
    return Member(
        relation=_enum(_required(doc, "relation", field), "relation", f"{field}.relation"),
        birth_date=_date(_required(doc, "birth_date", field), f"{field}.birth_date"),
        disability=_enum(doc.get("disability", "none"), "disability", f"{field}.disability"),
        pregnant=_bool(doc.get("pregnant", False), f"{field}.pregnant"),
        school="none" if school is None else _enum(school, "school", f"{field}.school"),
        income=_income(doc.get("income", {}), f"{field}.income"),
    )


def _income(doc: Any, field: str) -> Income:
    doc = _mapping(doc, field)
    return Income(**{k: _money(doc.get(k, 0), f"{field}.{k}") for k in INCOME_FIELDS})


def _assets(doc: Any, field: str) -> Assets:
    doc = _mapping(doc, field)
    return Assets(**{k: _money(doc.get(k, 0), f"{field}.{k}") for k in ASSET_FIELDS})


def _status(doc: Any) -> Status:
    doc = _mapping(doc, "status")
    required = {k: _bool(_required(doc, k, "status"), f"status.{k}") for k in REQUIRED_FLAGS}
    optional = {k: _bool(doc[k], f"status.{k}") for k in OPTIONAL_FLAGS if doc.get(k) is not None}
    return Status(**required, **optional)


def _string(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise HouseholdFormatError(field, "문자열이어야 합니다 / must be a string")
    return value


def _enum(value: Any, kind: str, field: str) -> str:
    if value not in ENUMS[kind]:
        allowed = ", ".join(ENUMS[kind])
        raise HouseholdFormatError(field, f"허용되지 않는 값 {value!r} (허용: {allowed}) / must be one of {allowed}")
    return value


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise HouseholdFormatError(field, "true 또는 false여야 합니다 / must be true or false")
    return value


def _money(value: Any, field: str) -> int:
    # bool is an int subclass: reject it explicitly so `true` is not read as 1 won.
    if isinstance(value, bool) or not isinstance(value, int):
        raise HouseholdFormatError(field, "원 단위 정수여야 합니다 / must be a whole number of won")
    if value < 0:
        raise HouseholdFormatError(field, "음수일 수 없습니다 / must not be negative")
    return value


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # YAML reads an unquoted 2026-03-01 as a date already
    if not isinstance(value, str):
        raise HouseholdFormatError(field, "YYYY-MM-DD 형식의 날짜여야 합니다 / must be a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HouseholdFormatError(field, f"존재하지 않는 날짜입니다: {value!r} / not a valid date") from None

"""Money and value formatting for reasons: "820,556원" / "KRW 820,556"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .catalogue import Fact


def won_ko(amount: Any, monthly: bool = False) -> str:
    """Return e.g. "월 820,556원" (monthly) or "820,556원"."""
    return f"{'월 ' if monthly else ''}{int(amount):,}원"


def won_en(amount: Any, monthly: bool = False) -> str:
    """Return e.g. "KRW 820,556 a month" (monthly) or "KRW 820,556"."""
    return f"KRW {int(amount):,}{' a month' if monthly else ''}"


def value_ko(fact: Fact, value: Any) -> str:
    """Return a fact value as Korean text."""
    return _value(fact, value, won_ko, ("예", "아니오"), "알 수 없음")


def value_en(fact: Fact, value: Any) -> str:
    """Return a fact value as English text."""
    return _value(fact, value, won_en, ("yes", "no"), "unknown")


def _value(fact: Fact, value: Any, won, yes_no, unknown) -> str:
    if value is None:
        return unknown
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(fact, v, won, yes_no, unknown) for v in value) + "]"
    if fact.type == "money":
        return won(value, fact.monthly)
    if fact.type == "percent":
        return f"{Decimal(value).normalize():f}%"
    if fact.type == "bool":
        return yes_no[0] if value else yes_no[1]
    return str(value)


def subject_ko(label: str) -> str:
    """Return the label with its subject particle 이/가 (by the last syllable's final consonant)."""
    last = label[-1]
    has_final = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
    return f"{label}{'이' if has_final else '가'}"

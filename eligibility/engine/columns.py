"""Columnar households for the vectorised path: household arrays (n) and member arrays (m).

Members are sorted by household; `offsets[i]:offsets[i+1]` are household i's members, so member
quantifiers are segment reductions (np.add.reduceat). Enumerations are int8 codes (the index in
the fact's `values`), money int64 won, dates int32 YYYYMMDD, optional flags int8 (-1 unknown).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .catalogue import FACTS, OPTIONAL_FACTS
from .household import ASSET_FIELDS, INCOME_FIELDS, REQUIRED_FLAGS, Household
from .regions import capital_area, region_bp, region_nbls

HOUSEHOLD_INT8 = ("region_nbls", "region_bp", "housing_tenure")
HOUSEHOLD_BOOL = ("capital_area", *REQUIRED_FLAGS)
HOUSEHOLD_MONEY = ("monthly_rent", *ASSET_FIELDS)
MEMBER_INT8 = ("relation", "disability", "school")
MEMBER_MONEY = INCOME_FIELDS


@dataclass(frozen=True)
class Columns:
    """n households and m members as arrays; build with `columns_from_arrays` (it checks them)."""

    household: Mapping[str, np.ndarray]  # HOUSEHOLD_INT8 + HOUSEHOLD_BOOL + HOUSEHOLD_MONEY + OPTIONAL_FACTS
    member: Mapping[str, np.ndarray]  # member_household, birth, pregnant, MEMBER_INT8, MEMBER_MONEY
    offsets: np.ndarray = field(repr=False)  # int64, n + 1

    @property
    def n(self) -> int:
        return len(self.offsets) - 1

    @property
    def m(self) -> int:
        return int(self.offsets[-1])

    def slice(self, start: int, stop: int) -> Columns:
        """Return households [start, stop) as views (member household index rebased to 0)."""
        lo, hi = int(self.offsets[start]), int(self.offsets[stop])
        member = {k: v[lo:hi] for k, v in self.member.items()}
        member["member_household"] = member["member_household"] - start
        household = {k: v[start:stop] for k, v in self.household.items()}
        return Columns(household, member, self.offsets[start:stop + 1] - lo)


def code_of(fact: str, value: str) -> int:
    """Return the int8 code of an enum value of a fact."""
    return FACTS[fact].values.index(value)


def columns_from_arrays(household: Mapping[str, Sequence], member: Mapping[str, Sequence]) -> Columns:
    """Return Columns from plain arrays (e.g. a DB COPY reader), converting dtypes and checking.

    `household` needs HOUSEHOLD_INT8, HOUSEHOLD_BOOL and HOUSEHOLD_MONEY keys (optional flags
    default to unknown); `member` needs member_household (sorted, every household present), birth
    (YYYYMMDD), pregnant, MEMBER_INT8 and MEMBER_MONEY keys.
    """
    hh = {k: np.asarray(household[k], dtype=np.int8) for k in HOUSEHOLD_INT8}
    hh |= {k: np.asarray(household[k], dtype=bool) for k in HOUSEHOLD_BOOL}
    hh |= {k: np.asarray(household[k], dtype=np.int64) for k in HOUSEHOLD_MONEY}
    n = len(hh["region_nbls"])
    hh |= {k: np.asarray(household.get(k, np.full(n, -1)), dtype=np.int8) for k in OPTIONAL_FACTS}
    mem = {"member_household": np.asarray(member["member_household"], dtype=np.int64),
           "birth": np.asarray(member["birth"], dtype=np.int32),
           "pregnant": np.asarray(member["pregnant"], dtype=bool)}
    mem |= {k: np.asarray(member[k], dtype=np.int8) for k in MEMBER_INT8}
    mem |= {k: np.asarray(member[k], dtype=np.int64) for k in MEMBER_MONEY}
    return Columns(hh, mem, _offsets(mem["member_household"], n))


def _offsets(member_household: np.ndarray, n: int) -> np.ndarray:
    counts = np.bincount(member_household, minlength=n)
    if len(counts) != n or (n and counts.min() == 0) or np.any(np.diff(member_household) < 0):
        raise ValueError("member_household must be sorted and give every household at least one member")
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return offsets


def columns_from_households(households: Sequence[Household]) -> Columns:
    """Return Columns for Household objects (pages, tests; bulk readers use columns_from_arrays)."""
    hh = {k: [] for k in (*HOUSEHOLD_INT8, *HOUSEHOLD_BOOL, *HOUSEHOLD_MONEY, *OPTIONAL_FACTS)}
    mem = {k: [] for k in ("member_household", "birth", "pregnant", *MEMBER_INT8, *MEMBER_MONEY)}
    for i, household in enumerate(households):
        _append_household(hh, household)
        for member in household.members:
            _append_member(mem, i, member)
    return columns_from_arrays(hh, mem)


def _append_household(hh: dict, household: Household) -> None:
    sido, sigungu = household.region.sido, household.region.sigungu
    hh["region_nbls"].append(code_of("region_nbls", region_nbls(sido, sigungu)))
    hh["region_bp"].append(code_of("region_bp", region_bp(sido, sigungu)))
    hh["capital_area"].append(capital_area(sido))
    hh["housing_tenure"].append(code_of("housing_tenure", household.housing.tenure))
    hh["monthly_rent"].append(household.housing.monthly_rent)
    for key in ASSET_FIELDS:
        hh[key].append(getattr(household.assets, key))
    for key in REQUIRED_FLAGS:
        hh[key].append(getattr(household.status, key))
    for key in OPTIONAL_FACTS:
        value = getattr(household.status, key)
        hh[key].append(-1 if value is None else int(value))


def _append_member(mem: dict, index: int, member) -> None:
    b = member.birth_date
    mem["member_household"].append(index)
    mem["birth"].append(b.year * 10000 + b.month * 100 + b.day)
    mem["pregnant"].append(member.pregnant)
    for key in MEMBER_INT8:
        mem[key].append(code_of(key, getattr(member, key)))
    for key in MEMBER_MONEY:
        mem[key].append(getattr(member.income, key))

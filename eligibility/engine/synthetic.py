"""Random but plausible households as Columns, generated vectorised (for the benchmark and tests).

Also `household_from_columns`, which turns one household of Columns back into a Household so the
scalar evaluator can be run on the same data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .catalogue import FACTS, OPTIONAL_FACTS
from .columns import Columns, code_of, columns_from_arrays
from .household import (
    ASSET_FIELDS,
    INCOME_FIELDS,
    REQUIRED_FLAGS,
    Assets,
    Household,
    Housing,
    Income,
    Member,
    Region,
    Status,
)

# (region_nbls, region_bp) pairs that exist, a place for each, and a rough population share.
PLACES = (
    ("seoul", "metro_city", "서울특별시", "관악구", 0.19),
    ("gyeonggi", "small_city", "경기도", "수원시", 0.24),
    ("gyeonggi", "rural", "경기도", "가평군", 0.02),
    ("metro", "metro_city", "부산광역시", "해운대구", 0.22),
    ("metro", "rural", "대구광역시", "달성군", 0.02),
    ("metro", "small_city", "경상남도", "창원시 의창구", 0.03),
    ("other", "small_city", "충청북도", "청주시", 0.18),
    ("other", "rural", "전라남도", "해남군", 0.10),
)
SIZE_SHARE = (0.35, 0.27, 0.18, 0.14, 0.04, 0.01, 0.005, 0.005)
REFERENCE_YEAR = 2026


def synthetic_columns(n: int, seed: int = 0) -> Columns:
    """Return n random households (1–8 members) with incomes, assets, regions and flags."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice(np.arange(1, 9), size=n, p=np.array(SIZE_SHARE) / sum(SIZE_SHARE))
    member_household = np.repeat(np.arange(n), sizes)
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    position = np.arange(len(member_household)) - offsets[member_household]
    household = _households(rng, n)
    member = _members(rng, member_household, position, sizes)
    return columns_from_arrays(household, member)


def _households(rng, n: int) -> dict:
    place = rng.choice(len(PLACES), size=n, p=np.array([p[4] for p in PLACES]) / sum(p[4] for p in PLACES))
    nbls = np.array([code_of("region_nbls", p[0]) for p in PLACES])[place]
    tenure = rng.choice(4, size=n, p=(0.35, 0.2, 0.4, 0.05))
    own, jeonse = tenure == code_of("housing_tenure", "own"), tenure == code_of("housing_tenure", "jeonse")
    home = np.where(own, rng.integers(50, 900, n) * 1_000_000, np.where(jeonse, rng.integers(30, 400, n) * 1_000_000,
                                                                          rng.integers(0, 50, n) * 1_000_000))
    has_car = rng.random(n) < 0.6
    hh = {
        "region_nbls": nbls, "region_bp": np.array([code_of("region_bp", p[1]) for p in PLACES])[place],
        "capital_area": np.isin(nbls, [code_of("region_nbls", "seoul"), code_of("region_nbls", "gyeonggi")]),
        "housing_tenure": tenure,
        "monthly_rent": np.where(tenure == code_of("housing_tenure", "rent"), rng.integers(20, 120, n) * 10_000, 0),
        "housing": np.where(tenure == code_of("housing_tenure", "free"), 0, home),
        "general": np.where(rng.random(n) < 0.2, rng.integers(0, 300, n) * 1_000_000, 0),
        "financial": (rng.lognormal(15.5, 1.5, n)).astype(np.int64) // 1000 * 1000,
        "car_value": np.where(has_car, rng.integers(1, 60, n) * 1_000_000, 0),
        "car_cc": np.where(has_car, rng.choice([998, 1598, 1999, 2497, 3342], n), 0),
        "debt": np.where(rng.random(n) < 0.3, rng.integers(0, 150, n) * 1_000_000, 0),
    }
    hh |= {k: rng.random(n) < share for k, share in zip(REQUIRED_FLAGS, (0.05, 0.03, 0.03), strict=True)}
    hh |= {k: np.where(rng.random(n) < 0.3, -1, rng.random(n) < 0.15) for k in OPTIONAL_FACTS}
    return hh


def _members(rng, member_household, position, sizes) -> dict:
    m = len(member_household)
    has_spouse = (rng.random(len(sizes)) < 0.65)[member_household]
    relation = _relations(rng, position, has_spouse, m)
    head_age = rng.integers(19, 95, len(sizes))[member_household]
    age = _ages(rng, relation, head_age, m)
    birth = (REFERENCE_YEAR - age) * 10000 + rng.integers(1, 13, m) * 100 + rng.integers(1, 29, m)
    adult, senior = (age >= 19) & (age < 65), age >= 65
    member = {
        "member_household": member_household, "birth": birth, "relation": relation,
        "disability": rng.choice(3, size=m, p=(0.94, 0.04, 0.02)),
        "pregnant": (age >= 20) & (age <= 45) & (rng.random(m) < 0.02),
        "school": _schools(rng, age),
        "earned": np.where(adult & (rng.random(m) < 0.6), rng.lognormal(14.7, 0.6, m), 0).astype(np.int64),
        "business": np.where(adult & (rng.random(m) < 0.1), rng.lognormal(14.5, 0.8, m), 0).astype(np.int64),
        "property": np.where(rng.random(m) < 0.05, rng.integers(0, 1_000_000, m), 0),
        "public_transfer": np.where(senior & (rng.random(m) < 0.6), rng.integers(100_000, 1_500_000, m), 0),
        "private_transfer": np.where(rng.random(m) < 0.08, rng.integers(0, 500_000, m), 0),
    }
    return member


def _relations(rng, position, has_spouse, m: int) -> np.ndarray:
    others = np.array([code_of("relation", r) for r in ("child", "parent", "grandchild", "sibling", "other")])
    rest = others[rng.choice(len(others), size=m, p=(0.8, 0.1, 0.04, 0.03, 0.03))]
    spouse = np.where((position == 1) & has_spouse, code_of("relation", "spouse"), rest)
    return np.where(position == 0, code_of("relation", "self"), spouse)


def _ages(rng, relation, head_age, m: int) -> np.ndarray:
    code = {r: code_of("relation", r) for r in FACTS["relation"].values}
    child = np.maximum(head_age - rng.integers(20, 40, m), 0)
    age = np.select(
        [relation == code["self"], relation == code["spouse"], relation == code["child"],
         relation == code["parent"], relation == code["grandchild"]],
        [head_age, np.clip(head_age + rng.integers(-5, 6, m), 19, 99), np.minimum(child, rng.integers(0, 40, m)),
         np.minimum(head_age + rng.integers(20, 35, m), 105), np.maximum(head_age - rng.integers(45, 70, m), 0)],
        default=np.clip(head_age + rng.integers(-10, 10, m), 0, 99),
    )
    return age.astype(np.int64)


def _schools(rng, age) -> np.ndarray:
    code = {s: code_of("school", s) for s in FACTS["school"].values}
    university = (age >= 19) & (age <= 23) & (rng.random(len(age)) < 0.6)
    return np.select([(age >= 7) & (age <= 12), (age >= 13) & (age <= 15), (age >= 16) & (age <= 18), university],
                     [code["elementary"], code["middle"], code["high"], code["university"]], default=code["none"])


# ---- back to objects -----------------------------------------------------------------------------


def household_from_columns(columns: Columns, i: int) -> Household:
    """Return household i of `columns` as a Household (region from PLACES; for scalar checks)."""
    hh = {k: v[i] for k, v in columns.household.items()}
    place = next(p for p in PLACES if code_of("region_nbls", p[0]) == hh["region_nbls"]
                 and code_of("region_bp", p[1]) == hh["region_bp"])
    lo, hi = int(columns.offsets[i]), int(columns.offsets[i + 1])
    members = tuple(_member(columns, j) for j in range(lo, hi))
    flags = {k: bool(hh[k]) for k in REQUIRED_FLAGS}
    optional = {k: None if hh[k] < 0 else bool(hh[k]) for k in OPTIONAL_FACTS}
    return Household(
        region=Region(place[2], place[3]),
        housing=Housing(FACTS["housing_tenure"].values[hh["housing_tenure"]], int(hh["monthly_rent"])),
        members=members, assets=Assets(**{k: int(hh[k]) for k in ASSET_FIELDS}),
        status=Status(**flags, **optional),
    )


def _member(columns: Columns, j: int) -> Member:
    mem = {k: v[j] for k, v in columns.member.items()}
    b = int(mem["birth"])
    return Member(
        relation=FACTS["relation"].values[mem["relation"]], birth_date=dt.date(b // 10000, b // 100 % 100, b % 100),
        disability=FACTS["disability"].values[mem["disability"]], pregnant=bool(mem["pregnant"]),
        school=FACTS["school"].values[mem["school"]], income=Income(**{k: int(mem[k]) for k in INCOME_FIELDS}),
    )

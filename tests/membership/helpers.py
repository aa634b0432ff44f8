"""Household documents for membership tests (docs/household-format.md)."""
import copy

SINGLE = {
    "region": {"sido": "서울특별시", "sigungu": "관악구"},
    "housing": {"tenure": "rent", "monthly_rent": 400000},
    "members": [{"relation": "self", "birth_date": "1990-05-01", "disability": "none", "pregnant": False,
                 "school": "none", "income": {"earned": 1800000}}],
    "assets": {"housing": 20000000, "financial": 3000000},
    "status": {"nbls_recipient": False, "near_poor": False, "single_parent": False},
}
NEWBORN = {"relation": "child", "birth_date": "2026-08-01", "disability": "none", "pregnant": False,
           "school": "none", "income": {}}


def household_single(**region) -> dict:
    doc = copy.deepcopy(SINGLE)
    doc["region"].update(region)
    return doc


def household_with_newborn(**region) -> dict:
    doc = household_single(**region)
    doc["members"].append(copy.deepcopy(NEWBORN))
    return doc

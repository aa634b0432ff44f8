"""The membership record and the engine spell household facts the same way.

membership may not import the engine (apps import downward only), so its choices repeat the
engine's enums; this test keeps the two in step.
"""
from eligibility.engine.household import ENUMS
from membership.models import HouseholdMember, Tenure


def test_member_choices_are_the_engines_enums():
    assert set(HouseholdMember.Relation.values) == set(ENUMS["relation"])
    assert set(HouseholdMember.Disability.values) == set(ENUMS["disability"])
    assert set(HouseholdMember.School.values) == set(ENUMS["school"])


def test_tenure_choices_are_the_engines_enum():
    assert set(Tenure.values) == set(ENUMS["tenure"])

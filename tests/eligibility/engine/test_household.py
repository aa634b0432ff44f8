import datetime as dt

import pytest

from eligibility.engine.household import HouseholdFormatError, parse_household

from .sample import household_doc, member

FULL = {
    "as_of": "2026-03-01",
    "region": {"sido": "서울특별시", "sigungu": "관악구"},
    "housing": {"tenure": "rent", "monthly_rent": 300000},
    "members": [
        {"relation": "self", "birth_date": "1954-05-10", "disability": "none", "pregnant": False, "school": None,
         "income": {"earned": 0, "business": 0, "property": 0, "public_transfer": 400000, "private_transfer": 0}},
        {"relation": "spouse", "birth_date": "1956-01-02", "disability": "severe"},
    ],
    "assets": {"housing": 5000000, "general": 0, "financial": 3000000, "car_value": 0, "car_cc": 0, "debt": 0},
    "status": {"nbls_recipient": False, "near_poor": True, "single_parent": False, "crisis_event": True},
}


def test_parse_household_reads_every_field_and_leaves_optional_flags_unknown():
    # when
    h = parse_household(FULL)
    # then
    assert h.as_of == dt.date(2026, 3, 1)
    assert (h.region.sido, h.region.sigungu) == ("서울특별시", "관악구")
    assert (h.housing.tenure, h.housing.monthly_rent) == ("rent", 300000)
    assert h.members[0].income.public_transfer == 400000
    assert h.members[0].school == "none"
    assert h.members[1].disability == "severe" and h.members[1].income.earned == 0
    assert h.assets.financial == 3000000
    assert h.status.near_poor is True and h.status.crisis_event is True
    assert h.status.veteran is None
    assert h.self_member.birth_date == dt.date(1954, 5, 10)


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["members"][1].pop("birth_date"), "members[1].birth_date"),
    (lambda d: d["members"][1].update(birth_date="2025-02-30"), "members[1].birth_date"),
    (lambda d: d["members"][1].update(birth_date=19560102), "members[1].birth_date"),
    (lambda d: d["members"][0]["income"].update(earned=-1), "members[0].income.earned"),
    (lambda d: d["members"][0]["income"].update(earned="100"), "members[0].income.earned"),
    (lambda d: d["members"][0]["income"].update(earned=True), "members[0].income.earned"),
    (lambda d: d["members"][1].update(relation="cousin"), "members[1].relation"),
    (lambda d: d["members"][1].update(relation="self"), "members"),
    (lambda d: d["members"][0].update(school="kindergarten"), "members[0].school"),
    (lambda d: d["housing"].update(tenure="boat"), "housing.tenure"),
    (lambda d: d.pop("housing"), "housing"),
    (lambda d: d["region"].update(sido="서울시티"), "region.sido"),
    (lambda d: d["assets"].update(debt=-5), "assets.debt"),
    (lambda d: d["status"].pop("single_parent"), "status.single_parent"),
    (lambda d: d["status"].update(veteran="yes"), "status.veteran"),
    (lambda d: d.update(members=[]), "members"),
])
def test_parse_household_names_the_faulty_field(change, field):
    # given
    import copy

    doc = copy.deepcopy(FULL)
    change(doc)
    # when
    with pytest.raises(HouseholdFormatError) as err:
        parse_household(doc)
    # then
    assert err.value.field == field
    assert " / " in err.value.message  # Korean / English


def test_parse_household_accepts_yaml_dates_and_short_sido_names():
    # given
    doc = household_doc([member(birth=dt.date(1990, 1, 1))], sido="경기", sigungu="수원시")
    # when
    h = parse_household(doc)
    # then
    assert h.members[0].birth_date == dt.date(1990, 1, 1)
    assert h.region.sido == "경기"

"""Worked examples of both 소득인정액 methods, computed by hand from rules-notes §2 (2025/2026)."""

import datetime as dt

import pytest

from eligibility.engine.facts import derive_facts

from .sample import household, member, params

MAR_2026 = dt.date(2026, 3, 1)


def _facts(h, as_of=MAR_2026):
    return derive_facts(h, params(), as_of)


def test_earned_income_deduction_30_percent():
    # given: 46 years old, 1,000,000 earned
    h = household([member(birth="1980-01-01", income={"earned": 1_000_000})])
    # when
    f = _facts(h)
    # then: 1,000,000 − 30 % = 700,000
    assert f.income_eval_nbls == 700_000


def test_business_income_is_deducted_like_earned_income_and_other_income_counts_in_full():
    # given
    h = household([member(income={"business": 500_000, "property": 100_000, "public_transfer": 200_000,
                                  "private_transfer": 50_000})])
    # when
    f = _facts(h)
    # then: 500,000 × 0.7 + 350,000
    assert f.income_eval_nbls == 700_000
    assert f.total_income == 850_000 and f.earned_income_total == 500_000 and f.annual_income == 10_200_000


@pytest.mark.parametrize(("as_of", "expected"), [
    (dt.date(2025, 12, 31), 1_050_000),  # 30 > 29: no youth deduction in 2025
    (dt.date(2026, 1, 1), 630_000),  # ≤ 34 from 2026: (1,500,000 − 600,000) × 0.7
])
def test_youth_deduction_before_and_after_2026(as_of, expected):
    # given: aged 30 on both days
    h = household([member(birth="1995-06-15", income={"earned": 1_500_000})])
    # when
    f = _facts(h, as_of)
    # then
    assert f.income_eval_nbls == expected


def test_youth_deduction_2025_for_a_29_year_old():
    # given: 29 on 2025-12-31
    h = household([member(birth="1996-03-01", income={"earned": 1_500_000})])
    # when / then: (1,500,000 − 400,000) × 0.7
    assert _facts(h, dt.date(2025, 12, 31)).income_eval_nbls == 770_000


@pytest.mark.parametrize(("fields", "birth", "expected"), [
    ({"disability": "mild"}, "1980-01-01", 560_000),  # (1,000,000 − 200,000) × 0.7
    ({"school": "university"}, "1980-01-01", 560_000),  # a student of 46
    ({}, "1961-02-28", 560_000),  # 65 on 2026-02-28: older earner
    ({}, "1961-03-02", 700_000),  # still 64 on 2026-03-01: the rate only
    ({"school": "university"}, "2000-01-01", 280_000),  # youth 600,000 beats 200,000; they do not add up
])
def test_special_deduction_for_students_disabled_and_older_earners(fields, birth, expected):
    # given: 1,000,000 earned (시행령 제5조의2: 학생·장애인·노인 20만원 공제 후 30 %)
    h = household([member(birth=birth, income={"earned": 1_000_000}, **fields)])
    # when / then
    assert _facts(h).income_eval_nbls == expected


def test_youth_deduction_does_not_make_income_negative():
    # given
    h = household([member(birth="2000-01-01", income={"earned": 300_000})])
    # when / then
    assert _facts(h).income_eval_nbls == 0


def test_residential_cap_overflow_goes_to_general_property():
    # given: 서울, home 200,000,000 (cap 172,000,000), financial 30,000,000
    h = household(assets={"housing": 200_000_000, "financial": 30_000_000})
    # when
    f = _facts(h)
    # then: (172M − 99M) × 1.04 % = 759,200; 28M × 4.17 % = 1,167,600; (30M − 5M) × 6.26 % = 1,565,000
    assert f.property_income_nbls == 3_491_800


def test_basic_deduction_comes_off_housing_then_general_then_financial():
    # given: 서울 기본재산액 99,000,000
    h = household(assets={"housing": 50_000_000, "general": 100_000_000, "financial": 20_000_000})
    # when
    f = _facts(h)
    # then: housing 0, general (100M − 49M) × 4.17 % = 2,126,700, financial 15M × 6.26 % = 939,000
    assert f.property_income_nbls == 3_065_700


def test_debt_is_deducted_with_the_basic_deduction():
    # given
    h = household(assets={"housing": 150_000_000, "financial": 10_000_000, "debt": 20_000_000})
    # when
    f = _facts(h)
    # then: housing 150M − 119M = 31M × 1.04 % = 322,400; financial 5M × 6.26 % = 313,000
    assert f.property_income_nbls == 635_400
    assert f.net_assets == 140_000_000


def test_debt_beyond_assets_gives_zero_not_negative():
    # given
    h = household([member(income={"earned": 100_000})], assets={"housing": 10_000_000, "debt": 500_000_000})
    # when
    f = _facts(h)
    # then
    assert (f.property_income_nbls, f.recognized_income_nbls) == (0, 70_000)
    assert f.net_assets == -490_000_000


@pytest.mark.parametrize(("car", "expected"), [
    ({"car_value": 4_000_000, "car_cc": 1598}, 458_700),  # small car: general rate on 64M − 53M
    ({"car_value": 4_000_000, "car_cc": 0}, 458_700),  # cc unknown: judged on value alone
    ({"car_value": 4_000_000, "car_cc": 2497}, 4_291_900),  # 2,000cc or more: 100 %
    ({"car_value": 5_000_000, "car_cc": 1598}, 5_291_900),  # 5,000,000 or more: 100 %
])
def test_car_exception_below_2000cc_and_5_million(car, expected):
    # given: 그 외 지역 (기본재산액 53,000,000), general property 60,000,000
    h = household(sido="충청북도", sigungu="청주시", assets={"general": 60_000_000, **car})
    # when / then
    assert _facts(h).property_income_nbls == expected


def test_recognised_income_and_median_ratio():
    # given
    h = household([member(income={"earned": 1_000_000})], assets={"housing": 200_000_000, "financial": 30_000_000})
    # when
    f = _facts(h)
    # then: 700,000 + 3,491,800; 4,191,800 / 2,564,238 = 163.47 %
    assert f.recognized_income_nbls == 4_191_800
    assert str(f.median_ratio_nbls) == "163.47"


# ---- 기초연금 method ----------------------------------------------------------------------------------


def test_basic_pension_method_single():
    # given: 서울 (대도시), 70, earned 2,000,000, 국민연금 500,000, home 300M, financial 50M
    h = household([member(birth="1956-01-01", income={"earned": 2_000_000, "public_transfer": 500_000})],
                  assets={"housing": 300_000_000, "financial": 50_000_000}, tenure="own")
    # when
    f = _facts(h)
    # then: (2,000,000 − 1,160,000) × 0.7 = 588,000; + 500,000;
    #       ((300M − 135M) + (50M − 20M)) × 4 % / 12 = 650,000
    assert f.recognized_income_bp == 1_738_000
    assert f.bp_unit_type == "single"


def test_basic_pension_method_counts_only_self_and_spouse():
    # given: a working son is not part of the 기초연금 unit
    h = household([member(birth="1956-01-01"), member("spouse", "1958-01-01", income={"earned": 1_260_000}),
                   member("child", "1990-01-01", income={"earned": 3_000_000})])
    # when
    f = _facts(h)
    # then: (1,260,000 − 1,160,000) × 0.7
    assert f.recognized_income_bp == 70_000
    assert f.bp_unit_type == "couple"


def test_basic_pension_method_carries_a_general_shortfall_to_financial_property():
    # given: 농어촌 (7,250만), home 50M, financial 60M
    h = household(sido="전라남도", sigungu="해남군", assets={"housing": 50_000_000, "financial": 60_000_000})
    # when / then: (60M − 20M − 22.5M) × 4 % / 12 = 58,333.3 -> 58,333
    assert _facts(h).recognized_income_bp == 58_333


@pytest.mark.parametrize(("car", "expected"), [
    ({"car_value": 45_000_000, "car_cc": 1999}, 45_000_000),  # value ≥ 40M: luxury, 100 %
    ({"car_value": 30_000_000, "car_cc": 3342}, 30_000_000),  # cc ≥ 3,000: luxury
    ({"car_value": 20_000_000, "car_cc": 1999}, 0),  # ordinary car: general property, under the deduction
])
def test_basic_pension_method_luxury_car(car, expected):
    # given
    h = household(assets=car)
    # when / then
    assert _facts(h).recognized_income_bp == expected

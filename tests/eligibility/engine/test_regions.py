import pytest

from eligibility.engine.regions import capital_area, region_bp, region_nbls


@pytest.mark.parametrize(("sido", "sigungu", "nbls", "bp", "capital"), [
    ("서울특별시", "관악구", "seoul", "metro_city", True),
    ("경기도", "수원시", "gyeonggi", "small_city", True),
    ("경기도", "가평군", "gyeonggi", "rural", True),
    ("인천광역시", "부평구", "metro", "metro_city", True),
    ("인천광역시", "강화군", "metro", "rural", True),
    ("부산광역시", "해운대구", "metro", "metro_city", False),
    ("대구광역시", "달성군", "metro", "rural", False),
    ("세종특별자치시", "", "metro", "small_city", False),
    ("경상남도", "창원시 의창구", "metro", "small_city", False),
    ("경상남도", "김해시", "other", "small_city", False),
    ("충청북도", "청주시 상당구", "other", "small_city", False),
    ("전라남도", "해남군", "other", "rural", False),
    ("제주특별자치도", "제주시", "other", "small_city", False),
    ("서울", "종로구", "seoul", "metro_city", True),
])
def test_region_classes_for_both_methods(sido, sigungu, nbls, bp, capital):
    # when / then
    assert region_nbls(sido, sigungu) == nbls
    assert region_bp(sido, sigungu) == bp
    assert capital_area(sido) is capital

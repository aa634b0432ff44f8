import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from eligibility.engine.params import ParameterError

from .sample import params

MAR_2026 = dt.date(2026, 3, 1)


@pytest.mark.parametrize(("size", "median"), [(1, 2564238), (7, 9515150), (8, 10474348), (9, 11433546)])
def test_median_income_2026_with_the_8_plus_rule(size, median):
    # when
    value = params().value("median_income", MAR_2026, {"household_size": size})
    # then
    assert value == Decimal(median)


def test_dated_values_switch_on_the_first_day():
    # given
    p = params()
    # when / then
    assert p.integer("nbls_youth_deduction_amount", dt.date(2025, 12, 31)) == 400000
    assert p.integer("nbls_youth_deduction_amount", dt.date(2026, 1, 1)) == 600000


def test_last_value_extension_for_4_or_more():
    assert params().integer("energy_voucher_amount", MAR_2026, {"household_size": 6}) == 701300


def test_rates_are_exact_fractions_whatever_the_unit():
    assert params().rate("nbls_conversion_rate_general", MAR_2026) == Fraction(417, 10000)


def test_missing_dates_keys_and_names_raise_parameter_error():
    p = params()
    with pytest.raises(ParameterError, match="no value on 2024-06-01"):
        p.value("median_income", dt.date(2024, 6, 1), {"household_size": 1})
    with pytest.raises(ParameterError, match="unknown parameter"):
        p.value("no_such_parameter", MAR_2026)
    with pytest.raises(ParameterError, match="facts are needed"):
        p.value("median_income", MAR_2026)

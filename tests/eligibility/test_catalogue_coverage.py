"""The seed catalogue has a figure for every rule and amount on every date it screens (2024–2027).

The engine refuses to guess a missing figure (ParameterError); this test finds such a gap in the
data before a citizen's page does.
"""
import datetime as dt

import pytest

from eligibility.catalogue import SEED_PATH
from eligibility.engine.batch import evaluate_batch
from eligibility.engine.evaluate import screen
from eligibility.engine.loader import load_catalogue
from eligibility.engine.synthetic import household_from_columns, synthetic_columns

CATALOGUE = load_catalogue(SEED_PATH)
COLUMNS = synthetic_columns(120, seed=7)
HOUSEHOLDS = [household_from_columns(COLUMNS, i) for i in range(COLUMNS.n)]
DATES = [dt.date(year, month, 1) for year in range(2024, 2028) for month in (1, 4, 7, 10)] + [
    dt.date(year, 12, 31) for year in range(2024, 2028)
]


@pytest.mark.parametrize("as_of", DATES, ids=str)
def test_every_household_screens_on_every_date_without_a_missing_figure(as_of):
    # when
    screenings = [screen(h, CATALOGUE.benefits, CATALOGUE.parameters, as_of) for h in HOUSEHOLDS]
    # then: every benefit with a rule in force answers for every household
    in_force = {b.code for b in CATALOGUE.benefits if b.rules_in_force(as_of)}
    assert all({m.benefit_code for m in s.matches} == in_force for s in screenings)


@pytest.mark.parametrize("as_of", DATES[::4], ids=str)
def test_the_vectorised_path_covers_the_same_dates(as_of):
    result = evaluate_batch(COLUMNS, CATALOGUE.benefits, CATALOGUE.parameters, as_of)
    assert result.outcomes.shape == (len(CATALOGUE.benefits), COLUMNS.n)

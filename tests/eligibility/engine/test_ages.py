import datetime as dt

import pytest

from eligibility.engine.facts import life_stage, person_facts
from eligibility.engine.household import Member


def _facts(birth: str, on: str):
    return person_facts(Member("self", dt.date.fromisoformat(birth)), dt.date.fromisoformat(on))


@pytest.mark.parametrize(("birth", "on", "years", "months"), [
    ("1961-03-01", "2026-02-28", 64, 779),  # day before the 65th birthday
    ("1961-03-01", "2026-03-01", 65, 780),  # on the birthday
    ("2025-03-15", "2026-03-14", 0, 11),
    ("2025-03-15", "2026-03-15", 1, 12),
    ("2026-01-31", "2026-02-28", 0, 0),  # the 31st is not reached in February
    ("2026-01-31", "2026-03-01", 0, 1),
    ("2024-02-29", "2025-02-28", 0, 11),  # a 29 February birthday counts on 1 March
    ("2024-02-29", "2025-03-01", 1, 12),
])
def test_age_in_years_and_months_at_boundaries(birth, on, years, months):
    # when
    facts = _facts(birth, on)
    # then
    assert (facts.age_years, facts.age_months) == (years, months)


@pytest.mark.parametrize(("age", "stage"), [
    (0, "infant"), (6, "infant"), (7, "child"), (12, "child"), (13, "teen"), (18, "teen"),
    (19, "youth"), (34, "youth"), (35, "middle"), (64, "middle"), (65, "senior"), (101, "senior"),
])
def test_life_stage_bounds(age, stage):
    assert life_stage(age) == stage

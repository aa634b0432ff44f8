"""Golden cases: every `tests/eligibility/cases/*.yaml` file is collected as test items.

A file holds `cases:`, each `{name, as_of, household, expect: {benefit: outcome | {outcome, amount}}}`;
each case runs the scalar engine against the seed catalogue, without Django or a database (the
items never touch the DB, so they also run inside a pytest-django session).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest
import yaml

from eligibility.engine.evaluate import screen
from eligibility.engine.household import parse_household
from eligibility.engine.loader import load_catalogue

CASES_DIR = Path(__file__).parent / "cases"
SEED = Path(__file__).resolve().parents[2] / "eligibility" / "catalogue" / "catalogue.yaml"


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix == ".yaml" and file_path.parent == CASES_DIR:
        return GoldenFile.from_parent(parent, path=file_path)
    return None


@functools.cache
def seed_catalogue():
    """Return the seed catalogue, loaded once per session."""
    return load_catalogue(SEED)


class GoldenFile(pytest.File):
    def collect(self):
        doc = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        for index, case in enumerate(doc.get("cases") or []):
            yield GoldenCase.from_parent(self, name=case.get("name") or f"case {index}", case=case)


class GoldenCaseFailure(AssertionError):
    pass


class GoldenCase(pytest.Item):
    def __init__(self, *, case: dict, **kwargs):
        super().__init__(**kwargs)
        self.case = case

    def runtest(self):
        catalogue = seed_catalogue()
        as_of = _date(self.case["as_of"])
        screening = screen(parse_household(self.case["household"]), catalogue.benefits, catalogue.parameters, as_of)
        problems = [p for code, want in self.case["expect"].items() if (p := _check(screening, code, want))]
        if problems:
            raise GoldenCaseFailure("\n\n".join(problems))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, GoldenCaseFailure):
            return f"golden case {self.name!r} ({self.path.name}):\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"golden case: {self.name}"


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _check(screening, code: str, want) -> str | None:
    """Return a description of the mismatch for one benefit, or None when it matches."""
    want = want if isinstance(want, dict) else {"outcome": want}
    match = screening.match(code)
    outcome = match.outcome if match else "not listed (no rule in force)"
    amount = match.estimated_amount.krw if match and match.estimated_amount else None
    if outcome == want.get("outcome") and ("amount" not in want or amount == want["amount"]):
        return None
    lines = [f"{code}: expected {want.get('outcome')}"
             + (f" amount {want['amount']}" if "amount" in want else "") + f", got {outcome}"
             + (f" amount {amount}" if "amount" in want else "")]
    if match:
        lines += [f"  rule {match.rule_code}; missing {list(match.missing_facts)}"]
        lines += [f"  - {r.text_ko}\n    {r.text_en}" for r in match.reasons]
    return "\n".join(lines)

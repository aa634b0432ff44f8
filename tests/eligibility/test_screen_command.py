"""`manage.py screen FILE.json`: the stable interface of docs/household-format.md."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from eligibility.models import Benefit

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db

FOUR_PERSON = {
    "as_of": "2026-03-01",
    "region": {"sido": "서울특별시", "sigungu": "관악구"},
    "housing": {"tenure": "rent", "monthly_rent": 300000},
    "members": [
        {"relation": "self", "birth_date": "1988-04-02", "disability": "none", "pregnant": False, "school": None,
         "income": {"earned": 1200000, "business": 0, "property": 0, "public_transfer": 0, "private_transfer": 0}},
        {"relation": "spouse", "birth_date": "1990-09-15", "disability": "none", "pregnant": False, "school": None,
         "income": {"earned": 0, "business": 0, "property": 0, "public_transfer": 0, "private_transfer": 0}},
        {"relation": "child", "birth_date": "2019-06-01", "disability": "none", "pregnant": False, "school": None,
         "income": {"earned": 0, "business": 0, "property": 0, "public_transfer": 0, "private_transfer": 0}},
        {"relation": "child", "birth_date": "2025-10-20", "disability": "none", "pregnant": False, "school": None,
         "income": {"earned": 0, "business": 0, "property": 0, "public_transfer": 0, "private_transfer": 0}},
    ],
    "assets": {"housing": 20000000, "general": 0, "financial": 2000000, "car_value": 0, "car_cc": 0, "debt": 0},
    "status": {"nbls_recipient": False, "near_poor": False, "single_parent": False},
}


@pytest.fixture
def catalogue(db):
    call_command("load_catalogue", verbosity=0)


def _screen(capsys, tmp_path, doc, *args) -> str:
    path = tmp_path / "household.json"
    path.write_text(json.dumps(doc, ensure_ascii=False) if not isinstance(doc, str) else doc, encoding="utf-8")
    call_command("screen", str(path), *args)
    return capsys.readouterr().out


def test_screen_lists_every_published_benefit_with_outcomes(catalogue, capsys, tmp_path):
    # when
    result = json.loads(_screen(capsys, tmp_path, FOUR_PERSON))
    # then
    assert result["as_of"] == "2026-03-01"
    assert {r["benefit"] for r in result["results"]} == set(Benefit.objects.values_list("code", flat=True))
    by_code = {r["benefit"]: r for r in result["results"]}
    assert by_code["parental_benefit"]["outcome"] == "eligible"
    assert by_code["parental_benefit"]["estimated_monthly_amount"] == 1000000  # the baby is 0 (4 months)
    assert by_code["child_allowance"]["outcome"] == "eligible"
    assert by_code["child_allowance"]["estimated_monthly_amount"] == 200000  # two children under 9
    assert by_code["basic_pension"]["outcome"] == "ineligible"
    assert all(r["reasons"] for r in result["results"])


def test_as_of_on_the_command_line_overrides_the_file(catalogue, capsys, tmp_path):
    # when: a year later the baby is 1
    result = json.loads(_screen(capsys, tmp_path, FOUR_PERSON, "--as-of", "2027-03-01"))
    # then
    parental = next(r for r in result["results"] if r["benefit"] == "parental_benefit")
    assert result["as_of"] == "2027-03-01"
    assert parental["estimated_monthly_amount"] == 500000


def test_text_format_is_one_line_per_benefit(catalogue, capsys, tmp_path):
    out = _screen(capsys, tmp_path, FOUR_PERSON, "--format", "text")
    assert out.splitlines()[0] == "as of 2026-03-01"
    assert len(out.splitlines()) == Benefit.objects.count() + 1


def _run(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "screen", str(path)], cwd=ROOT, capture_output=True, text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("members"), "members"),
        (lambda d: d["members"][1].update(birth_date="1990-02-30"), "members[1].birth_date"),
        (lambda d: d["members"][0]["income"].update(earned="a lot"), "members[0].income.earned"),
        (lambda d: d["housing"].update(tenure="castle"), "housing.tenure"),
        (lambda d: d["assets"].update(debt=-5), "assets.debt"),
    ],
)
def test_a_bad_household_exits_2_naming_the_field(tmp_path, mutate, field):
    # given
    doc = json.loads(json.dumps(FOUR_PERSON))
    mutate(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    # when
    result = _run(path)
    # then
    assert result.returncode == 2
    assert field in result.stderr


def test_a_file_that_is_not_json_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    result = _run(path)
    assert result.returncode == 2 and "JSON" in result.stderr

"""The seed catalogue agrees with shared/domain (benefit ids, medians) and carries its references.

Plain pytest: no DB, no Django import.
"""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "eligibility" / "catalogue" / "catalogue.yaml"
SHARED = ROOT.parent / "shared"
VERIFICATION = {"verified", "secondary", "unverified", "computed"}


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def domain() -> dict:
    path = SHARED / "domain" / "benefits.yaml"
    if not path.exists():
        pytest.skip(f"{path} not found: shared/domain is not checked out beside the project")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_domain_benefit_is_in_the_catalogue_and_no_other(catalogue, domain):
    ids = {b["id"] for b in domain["benefits"]}
    codes = [b["code"] for b in catalogue["benefits"]]
    assert len(codes) == len(set(codes)), "duplicate benefit codes"
    assert set(codes) == ids


def test_median_income_matches_the_domain_table(catalogue, domain):
    median = next(p for p in catalogue["parameters"] if p["name"] == "median_income")
    assert median["key_fact"] == "household_size"
    assert median["extend"] == "last_difference"
    by_year = {v["valid_from"].year: v for v in median["values"]}
    for year, values in domain["meta"]["median_income_krw_month"].items():
        entry = by_year[int(year)]
        assert str(entry["valid_from"]) == f"{year}-01-01"
        assert str(entry["valid_to"]) == f"{year}-12-31"
        assert [entry["value"][size] for size in range(1, 8)] == values
    assert {2024, 2025, 2026, 2027} <= set(by_year)


def test_every_parameter_value_has_a_reference_and_a_verification(catalogue):
    for param in catalogue["parameters"]:
        assert param["values"], param["name"]
        for value in param["values"]:
            where = f"{param['name']} from {value['valid_from']}"
            assert str(value.get("legal_reference") or "").strip(), where
            assert str(value.get("source") or "").strip(), where
            assert value.get("verification") in VERIFICATION, where
            assert value["valid_to"] is None or value["valid_to"] >= value["valid_from"], where


def test_every_benefit_and_rule_has_a_reference_and_a_verification(catalogue):
    for benefit in catalogue["benefits"]:
        assert str(benefit.get("legal_reference") or "").strip(), benefit["code"]
        assert benefit.get("verification") in VERIFICATION, benefit["code"]
        assert benefit["rules"], benefit["code"]
        for rule in benefit["rules"]:
            assert str(rule.get("legal_reference") or "").strip(), rule["code"]
            assert rule["code"].startswith(benefit["code"] + "."), rule["code"]
            if rule["outcome"] == "likely":
                assert rule.get("note_ko") and rule.get("note_en"), rule["code"]


def test_rules_name_only_declared_parameters(catalogue):
    names = {p["name"] for p in catalogue["parameters"]}
    for benefit in catalogue["benefits"]:
        for rule in benefit["rules"]:
            for cond in rule["conditions"]:
                if "parameter" in cond:
                    assert cond["parameter"] in names, (rule["code"], cond["parameter"])
        for name in (benefit.get("amount") or {}).get("params", {}).values():
            assert name in names, (benefit["code"], name)


def test_taxonomy_codes_are_the_bokjiro_codes(catalogue):
    stages = {f"{n:03d}" for n in range(1, 8)}
    situations = {f"{n:03d}" for n in range(10, 70, 10)}
    themes = {f"{n:03d}" for n in range(10, 170, 10)}
    for benefit in catalogue["benefits"]:
        assert benefit["life_stages"] and set(benefit["life_stages"]) <= stages, benefit["code"]
        assert set(benefit["situations"]) <= situations, benefit["code"]
        assert benefit["themes"] and set(benefit["themes"]) <= themes, benefit["code"]

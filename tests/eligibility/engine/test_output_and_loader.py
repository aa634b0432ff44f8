import datetime as dt
import json

import pytest

from eligibility.engine.evaluate import screen
from eligibility.engine.loader import CatalogueError
from eligibility.engine.output import screening_to_dict

from .sample import catalogue, household, member

LIVELIHOOD = {"code": "nbls_livelihood", "name_ko": "생계급여", "name_en": "Livelihood",
              "amount": {"formula": "threshold_gap", "period": "month", "params": {"pct": "nbls_livelihood_pct"}},
              "rules": [{"code": "nbls_livelihood.income", "outcome": "likely", "note_ko": "조사 후 결정",
                         "conditions": [{"fact": "recognized_income_nbls", "operator": "lte",
                                         "parameter": "nbls_livelihood_pct", "basis": "median_pct"}]}]}


def test_screening_to_dict_gives_the_documented_json():
    # given
    cat = catalogue([LIVELIHOOD])
    h = household([member(income={"earned": 500_000})])
    # when
    out = screening_to_dict(screen(h, cat.benefits, cat.parameters, dt.date(2026, 3, 1)))
    # then
    assert json.loads(json.dumps(out, ensure_ascii=False)) == out
    assert out["as_of"] == "2026-03-01"
    result = out["results"][0]
    assert {k: result[k] for k in ("benefit", "outcome", "estimated_monthly_amount", "estimated_amount")} == {
        "benefit": "nbls_livelihood", "outcome": "likely", "estimated_monthly_amount": 470_556,
        "estimated_amount": {"krw": 470_556, "period": "month"}}
    assert result["reasons"][0]["text_ko"] == "소득인정액: 월 350,000원 (기준 ≤ 월 820,556원) — 충족"
    assert (result["reasons"][0]["actual"], result["reasons"][0]["required"]) == (350_000, 820_556)


@pytest.mark.parametrize(("change", "field"), [
    (lambda b: b["rules"][0]["conditions"][0].update(fact="salary"), "benefits[0].rules[0].conditions[0].fact"),
    (lambda b: b["rules"][0]["conditions"][0].update(parameter="nope"),
     "benefits[0].rules[0].conditions[0].parameter"),
    (lambda b: b["amount"].update(formula="magic"), "benefits[0].amount.formula"),
    (lambda b: b["amount"].update(params={}), "benefits[0].amount.params"),
    (lambda b: b["rules"][0].update(outcome="maybe"), "benefits[0].rules[0].outcome"),
])
def test_load_catalogue_names_the_faulty_place(change, field):
    # given
    import copy

    benefit = copy.deepcopy(LIVELIHOOD)
    change(benefit)
    # when
    with pytest.raises(CatalogueError) as err:
        catalogue([benefit])
    # then
    assert err.value.field == field

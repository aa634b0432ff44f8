"""Plain-language views of engine data for the citizen pages: who a benefit is for (from its rule
rows, never written twice by hand) and a screening's results grouped by outcome."""
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from eligibility.engine import rules as er
from eligibility.engine.catalogue import FACTS
from eligibility.engine.evaluate import Match, Screening
from eligibility.engine.format import won_en, won_ko
from eligibility.engine.params import ParameterError, ParameterSet

ENUM_LABELS = {
    "rent": ("월세", "monthly rent"), "jeonse": ("전세", "deposit lease"), "own": ("자가", "own home"),
    "free": ("무상 거주", "free of charge"), "self": ("본인", "you"), "spouse": ("배우자", "spouse"),
    "child": ("자녀", "child"), "parent": ("부모", "parent"), "grandparent": ("조부모", "grandparent"),
    "grandchild": ("손자녀", "grandchild"), "sibling": ("형제자매", "sibling"), "other": ("기타", "other"),
    "none": ("없음", "none"), "mild": ("심하지 않은 장애", "mild disability"),
    "severe": ("심한 장애", "severe disability"), "elementary": ("초등학생", "elementary school"),
    "middle": ("중학생", "middle school"), "high": ("고등학생", "high school"),
    "university": ("대학생", "university"), "infant": ("영유아", "infant"), "teen": ("청소년", "teenager"),
    "youth": ("청년", "young adult"), "senior": ("노인", "older person"),
    "seoul": ("서울", "Seoul"), "gyeonggi": ("경기", "Gyeonggi"), "metro": ("광역시·세종·창원", "metropolitan city"),
    "metro_city": ("대도시", "large city"), "small_city": ("중소도시", "small city"), "rural": ("농어촌", "rural area"),
    "single": ("단독가구", "single"), "couple": ("부부가구", "couple"),
}
UNITS = {"age_years": ("세", " years"), "age_months": ("개월", " months"), "household_size": ("명", " people")}
# Plain words for each operator: {label}, {value}, and for between {lo} / {hi}.
PHRASES = {
    "lte": ("{label} {value} 이하", "{label} at most {value}"),
    "lt": ("{label} {value} 미만", "{label} under {value}"),
    "gte": ("{label} {value} 이상", "{label} at least {value}"),
    "gt": ("{label} {value} 초과", "{label} over {value}"),
    "eq": ("{label}: {value}", "{label}: {value}"),
    "ne": ("{label}: {value} 아님", "{label}: not {value}"),
    "between": ("{label} {lo}~{hi}", "{label} between {lo} and {hi}"),
    "in": ("{label}: {value} 중 하나", "{label}: one of {value}"),
    "not_in": ("{label}: {value} 아님", "{label}: none of {value}"),
    "is_true": ("{label}: 예", "{label}: yes"),
    "is_false": ("{label}: 아니오", "{label}: no"),
}


def _i(lang: str) -> int:
    return 1 if lang == "en" else 0


def value_text(fact_name: str, value, lang: str) -> str:
    """Return a rule value in words: won, ages, enum labels, lists."""
    fact = FACTS[fact_name]
    if isinstance(value, tuple | list):
        return ", ".join(value_text(fact_name, v, lang) for v in value)
    if fact.type == "money":
        return (won_en if lang == "en" else won_ko)(value, fact.monthly)
    if fact.type == "enum":
        return ENUM_LABELS.get(value, (value, value))[_i(lang)]
    if fact.type == "percent":
        return f"{Decimal(value).normalize():f}%"
    unit = UNITS.get(fact_name, ("", ""))[_i(lang)]
    return f"{Decimal(value).normalize():f}{unit}"


def condition_text(cond: er.Condition, params: ParameterSet, as_of: dt.date, lang: str) -> str:
    """Return one condition in plain words, with parameter values in force on `as_of`."""
    fact = FACTS[cond.fact]
    label = fact.label_en if lang == "en" else fact.label_ko
    value = _required(cond, params, as_of, lang)
    template = PHRASES[cond.operator][_i(lang)]
    if cond.operator == "between" and isinstance(value, tuple):
        return template.format(label=label, lo=value[0], hi=value[1])
    return template.format(label=label, value=value, lo="", hi="")


def _required(cond: er.Condition, params: ParameterSet, as_of: dt.date, lang: str):
    if cond.parameter is None:
        if cond.operator == "between":
            return tuple(value_text(cond.fact, v, lang) for v in cond.value)
        return "" if cond.value is None else value_text(cond.fact, cond.value, lang)
    try:
        if cond.basis == "median_pct":
            return _median_pct(cond, params, as_of, lang)
        return _parameter_text(cond, params, as_of, lang)
    except ParameterError:
        return "—"


def _median_pct(cond: er.Condition, params: ParameterSet, as_of: dt.date, lang: str) -> str:
    pct = params.value(cond.parameter, as_of)
    table = params.table("median_income", as_of)
    four = int((Decimal(table[4]) * pct / 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    pct_text = f"{pct.normalize():f}%"
    if lang == "en":
        return f"{pct_text} of the standard median income ({won_en(four, True)} for 4 people)"
    return f"기준 중위소득의 {pct_text}({won_ko(four, True)}, 4인 가구)"


def _parameter_text(cond: er.Condition, params: ParameterSet, as_of: dt.date, lang: str) -> str:
    parameter = params.get(cond.parameter)
    raw = parameter.value_on(as_of).value
    if not isinstance(raw, dict):
        return value_text(cond.fact, raw, lang)
    shown = list(raw.items())[:4]
    parts = [f"{value_text(parameter.key_fact, k, lang) if parameter.key_fact in UNITS else k}: "
             f"{value_text(cond.fact, v, lang)}" for k, v in shown]
    return "(" + "; ".join(parts) + ")"


@dataclass(frozen=True)
class RuleText:
    label: str
    conditions: tuple[str, ...]
    note: str
    legal_reference: str


def who_it_is_for(benefit: er.Benefit, params: ParameterSet, as_of: dt.date, lang: str) -> list[RuleText]:
    """Return each rule in force as a label and its conditions in words (any one rule is enough)."""
    return [_rule_text(rule, params, as_of, lang) for rule in benefit.rules_in_force(as_of)]


def _rule_text(rule: er.Rule, params: ParameterSet, as_of: dt.date, lang: str) -> RuleText:
    lines = [condition_text(c, params, as_of, lang) for c in rule.household_conditions]
    lines += [_group_text(group, params, as_of, lang) for group in rule.member_groups]
    en = lang == "en"
    return RuleText(rule.label_en if en else rule.label_ko, tuple(lines), rule.note_en if en else rule.note_ko,
                    rule.legal_reference)


def _group_text(group: tuple[er.Condition, ...], params: ParameterSet, as_of: dt.date, lang: str) -> str:
    parts = [condition_text(c, params, as_of, lang) for c in group]
    first = group[0]
    if lang == "en":
        joined = " and ".join(parts)
        if first.quantifier == "all":
            return f"Every member: {joined}"
        count = first.min_count or 1
        return f"A member with {joined}" if count == 1 else f"At least {count} members with {joined}"
    joined = " 그리고 ".join(parts)
    if first.quantifier == "all":
        return f"모든 가구원이 {joined}"
    return f"가구원 중 {first.min_count or 1}명 이상이 {joined}"


# ---- results ----------------------------------------------------------------------------------------

GROUP_ORDER = ("eligible", "likely", "needs_info", "ineligible")


@dataclass(frozen=True)
class ReasonLine:
    text: str
    passed: bool | None
    gap: int | None


@dataclass(frozen=True)
class ResultItem:
    code: str
    name: str
    summary: str
    outcome: str
    amount: int | None
    period: str
    reasons: tuple[ReasonLine, ...]
    missing: tuple[str, ...]
    note: str
    how_to_apply: str
    documents: tuple[str, ...]
    online: bool

    @property
    def is_close(self) -> bool:
        """Whether a money limit was missed by an amount shown ("what it would take")."""
        return any(r.gap is not None for r in self.reasons)


@dataclass
class Results:
    groups: dict[str, list[ResultItem]] = field(default_factory=dict)
    monthly_total: int = 0
    yearly_total: int = 0
    once_total: int = 0


def results(screening: Screening, pages: dict[str, dict], lang: str) -> Results:
    """Return the matches grouped by outcome (best first, largest amount first) with the totals of
    what the eligible and likely benefits are estimated to pay."""
    out = Results(groups={outcome: [] for outcome in GROUP_ORDER})
    for match in screening.matches:
        out.groups[match.outcome].append(_item(match, pages.get(match.benefit_code, {}), lang))
    for items in out.groups.values():
        items.sort(key=lambda item: (-(item.amount or 0), item.name))
    for item in out.groups["eligible"] + out.groups["likely"]:
        _add_total(out, item)
    return out


def _add_total(out: Results, item: ResultItem) -> None:
    if item.amount:
        attr = {"month": "monthly_total", "year": "yearly_total"}.get(item.period, "once_total")
        setattr(out, attr, getattr(out, attr) + item.amount)


def _item(match: Match, page: dict, lang: str) -> ResultItem:
    en = lang == "en"
    amount = match.estimated_amount
    return ResultItem(
        code=match.benefit_code, name=page.get("name_en" if en else "name_ko", match.benefit_code),
        summary=page.get("summary_en" if en else "summary_ko", ""), outcome=match.outcome,
        amount=amount.krw if amount else None, period=amount.period if amount else "",
        reasons=tuple(ReasonLine(r.text_en if en else r.text_ko, r.passed, r.gap) for r in match.reasons),
        missing=tuple(_fact_label(name, en) for name in match.missing_facts),
        note=match.note_en if en else match.note_ko,
        how_to_apply=page.get("how_to_apply_en" if en else "how_to_apply_ko", ""),
        documents=tuple(page.get("documents_en" if en else "documents_ko", ())),
        online=bool(page.get("online_application")),
    )


def _fact_label(name: str, en: bool) -> str:
    fact = FACTS.get(name)
    return name if fact is None else (fact.label_en if en else fact.label_ko)


PER_PERSON_FORMULAS = ("per_member_under_age",)


def fixed_amount(benefit: er.Benefit, params: ParameterSet, as_of: dt.date) -> tuple[int, bool] | None:
    """Return (amount, per child) of a benefit paid at one rate, or None when the household decides it."""
    spec = benefit.amount
    if spec is None or spec.formula not in ("fixed", *PER_PERSON_FORMULAS) or "amount" not in spec.params:
        return None
    try:
        value = params.value(spec.params["amount"], as_of)
    except ParameterError:
        return None  # keyed (by region, size...) or not in force: the household decides
    return int(value), spec.formula in PER_PERSON_FORMULAS

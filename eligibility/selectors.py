"""Reads: rows -> the engine's dataclasses. The only DB-aware code of the engine."""
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from eligibility.engine import params as ep
from eligibility.engine import rules as er
from eligibility.engine.catalogue import FACTS

from .models import Benefit, Condition, Parameter, ParameterValue, Rule, ScreeningDraft, Status
from .search import query_terms


def _engine_condition(row: Condition) -> er.Condition:
    return er.validate_condition(
        row.fact, row.operator, row.value or None, parameter=row.parameter or None, basis=row.basis or None,
        quantifier=row.quantifier or None, group=row.group, min_count=row.min_count,
    )


def engine_rule(row: Rule) -> er.Rule:
    """Return the engine's Rule for a rule row whose conditions are prefetched."""
    return er.Rule(
        code=row.code, conditions=tuple(_engine_condition(c) for c in row.conditions.all()),
        outcome=row.outcome, label_ko=row.label_ko, label_en=row.label_en, note_ko=row.note_ko,
        note_en=row.note_en, valid_from=row.valid_from, valid_to=row.valid_to, legal_reference=row.legal_reference,
    )


def engine_benefit(row: Benefit, rules: list[Rule]) -> er.Benefit:
    amount = None
    if row.amount_formula:
        amount = er.AmountSpec(formula=row.amount_formula, params=dict(row.amount_params), period=row.amount_period)
    return er.Benefit(
        code=row.code, name_ko=row.name_ko, name_en=row.name_en,
        rules=tuple(engine_rule(r) for r in rules), amount=amount,
    )


def _rules_prefetch(statuses: tuple[str, ...]) -> Prefetch:
    rules = Rule.objects.filter(status__in=statuses).prefetch_related("conditions").order_by("code")
    return Prefetch("rules", queryset=rules, to_attr="rules_for_engine")


def benefits_for_engine(*, include_drafts_of: Benefit | None = None) -> tuple[er.Benefit, ...]:
    """Every benefit with its published rules; with `include_drafts_of`, that benefit's drafts replace
    the published versions of the same rule code (what publishing them would give)."""
    benefits = Benefit.objects.prefetch_related(_rules_prefetch((Status.PUBLISHED, Status.DRAFT)))
    result = []
    for benefit in benefits:
        with_drafts = include_drafts_of is not None and benefit.pk == include_drafts_of.pk
        result.append(engine_benefit(benefit, _pick_versions(benefit.rules_for_engine, with_drafts)))
    return tuple(result)


def _pick_versions(rules: list[Rule], with_drafts: bool) -> list[Rule]:
    """One version per rule code: the published one, or the newest draft when drafts count."""
    chosen: dict[str, Rule] = {}
    for rule in rules:
        if rule.status == Status.DRAFT and not with_drafts:
            continue
        current = chosen.get(rule.code)
        if current is None or _prefer(rule, current, with_drafts):
            chosen[rule.code] = rule
    return list(chosen.values())


def _prefer(rule: Rule, current: Rule, with_drafts: bool) -> bool:
    if with_drafts and rule.status != current.status:
        return rule.status == Status.DRAFT
    return rule.version > current.version


def _key(key_fact: str, key: str):
    return int(key) if FACTS[key_fact].type == "int" else key


def _engine_value(raw, key_fact: str):
    if not key_fact:
        return Decimal(str(raw))
    return {_key(key_fact, k): Decimal(str(v)) for k, v in raw.items()}


def parameters_for_engine(*, include_drafts: bool = False) -> ep.ParameterSet:
    """All parameters with their published values (and drafts, for a dry run)."""
    statuses = (Status.PUBLISHED, Status.DRAFT) if include_drafts else (Status.PUBLISHED,)
    values = ParameterValue.objects.filter(status__in=statuses)
    parameters = Parameter.objects.prefetch_related(Prefetch("values", queryset=values, to_attr="in_use"))
    return ep.ParameterSet({p.name: _engine_parameter(p) for p in parameters})


def _engine_parameter(row: Parameter) -> ep.Parameter:
    values = tuple(
        ep.ParamValue(
            valid_from=v.valid_from, valid_to=v.valid_to, value=_engine_value(v.value, row.key_fact),
            legal_reference=v.legal_reference, verification=v.verification, source=v.source,
        )
        for v in row.in_use
    )
    return ep.Parameter(
        name=row.name, values=values, unit=row.unit, label_ko=row.label_ko, label_en=row.label_en,
        key_fact=row.key_fact or None, extend=row.extend or None,
    )


# ---- the citizen portal ---------------------------------------------------------------------------

def benefits_find(*, query: str = "", tag_kind: str = "", tag_code: str = "") -> QuerySet[Benefit]:
    """Benefits whose search text holds every word of `query` (spaces and particles ignored),
    optionally with one 복지로 tag, with their tags."""
    benefits = Benefit.objects.prefetch_related("tags").order_by("name_ko")
    for term in query_terms(query):
        benefits = benefits.filter(search_text__contains=term)
    if tag_kind and tag_code:
        benefits = benefits.filter(tags__kind=tag_kind, tags__code=tag_code)
    return benefits


def benefit_get(*, code: str) -> Benefit:
    """Return the benefit with its tags, or raise Benefit.DoesNotExist."""
    return Benefit.objects.prefetch_related("tags").get(code=code)


_VERSION_SQL = """
    SELECT (SELECT COUNT(*) FROM {rule} WHERE status = %s), (SELECT MAX(id) FROM {rule}),
           (SELECT MAX(published_at) FROM {rule}),
           (SELECT COUNT(*) FROM {value} WHERE status = %s), (SELECT MAX(id) FROM {value}),
           (SELECT COUNT(*) FROM {benefit}), (SELECT MAX(updated_at) FROM {benefit})
"""


def catalogue_version() -> tuple:
    """Return a cheap fingerprint of the published catalogue (one query): it changes when rules,
    parameter values or benefits are added, published, retired or edited."""
    sql = _VERSION_SQL.format(rule=Rule._meta.db_table, value=ParameterValue._meta.db_table,
                              benefit=Benefit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.PUBLISHED, Status.PUBLISHED])
        return tuple(cursor.fetchone())


def screening_draft_live(*, token: str) -> ScreeningDraft:
    """Return the unexpired draft with this token, or raise ScreeningDraft.DoesNotExist."""
    return ScreeningDraft.objects.get(token=token, expires_at__gt=timezone.now())


_DRAFT_VERSION_SQL = "SELECT updated_at FROM {table} WHERE token = %s AND expires_at > %s"


def screening_draft_version(*, token: str) -> str | None:
    """Return the version (last save) of the unexpired draft with this token, or None.

    One small indexed query without the answers and without building a queryset (a third of the cost
    of `screening_draft_live`): a page kept in the cache by draft version needs nothing more."""
    with connection.cursor() as cursor:
        cursor.execute(_DRAFT_VERSION_SQL.format(table=ScreeningDraft._meta.db_table), [token, timezone.now()])
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def screening_draft_by_code(*, code: str) -> ScreeningDraft:
    """Return the unexpired draft with this short code (case and spaces ignored)."""
    code = "".join(code.split()).replace("-", "").upper()
    return ScreeningDraft.objects.get(code=code, expires_at__gt=timezone.now())


def benefit_page_fields(fields: tuple[str, ...]) -> list[dict]:
    """Return the named display fields of every benefit, one dict a benefit."""
    return list(Benefit.objects.values(*fields))

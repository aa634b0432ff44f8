"""Writes of the eligibility layer: importing the seed catalogue, publishing rules with their tests."""
import datetime as dt
import json
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from eligibility.engine.evaluate import screen
from eligibility.engine.household import HouseholdFormatError, parse_household
from eligibility.engine.params import ParameterError
from membership.models import Notice, User
from membership.services import audit_record

from . import selectors
from .member_screening import member_household_change
from .models import (
    Benefit,
    Condition,
    Parameter,
    ParameterValue,
    Rule,
    RuleTestCase,
    ScreeningDraft,
    Status,
    TaxonomyTag,
)
from .questions import household_doc
from .screening import is_complete
from .search import benefit_search_text
from .taxonomy import TAXONOMY

BENEFIT_FIELDS = (
    "name_ko", "name_en", "summary_ko", "summary_en", "ministry", "keywords_ko", "keywords_en",
    "how_to_apply_ko", "how_to_apply_en", "documents_ko", "documents_en", "online_application",
    "legal_reference", "verification", "sources",
)
RULE_FIELDS = ("label_ko", "label_en", "outcome", "note_ko", "note_en", "valid_from", "valid_to", "legal_reference")
CONDITION_FIELDS = ("fact", "operator", "parameter", "basis", "quantifier", "group", "min_count")


class PublishRefused(Exception):
    """Publishing would break a rule test case (or the rule is not a draft); `failures` says which."""

    def __init__(self, failures: list[str]):
        super().__init__("; ".join(failures))
        self.failures = failures


@transaction.atomic
def catalogue_import(*, data: dict, acting_user: User | None) -> dict[str, int]:
    """Load a seed catalogue (docs/engine-design.md format) as published rows; skip what exists.

    Every condition goes through the same validation as an admin edit (full_clean), so a seed that
    the admin would refuse fails the whole import: nothing is half-written.
    """
    tags = _taxonomy_ensure()
    params = sum(_parameter_import(p) for p in data.get("parameters", []))
    benefits = sum(_benefit_import(b, tags, acting_user) for b in data.get("benefits", []))
    counts = {"parameters": params, "benefits": benefits}
    target = Benefit.objects.first() or Parameter.objects.first()
    if params or benefits:
        audit_record(actor=acting_user, action="catalogue_import", target=target, details=counts)
    return counts


def _taxonomy_ensure() -> dict[tuple[str, str], TaxonomyTag]:
    for kind, code, ko, en in TAXONOMY:
        TaxonomyTag.objects.update_or_create(kind=kind, code=code, defaults={"label_ko": ko, "label_en": en})
    return {(t.kind, t.code): t for t in TaxonomyTag.objects.all()}


def _parameter_import(data: dict) -> int:
    if Parameter.objects.filter(name=data["name"]).exists():
        return 0
    parameter = Parameter(
        name=data["name"], label_ko=data.get("label_ko", ""), label_en=data.get("label_en", ""),
        unit=data["unit"], key_fact=data.get("key_fact") or "", extend=data.get("extend") or "",
    )
    parameter.full_clean()
    parameter.save()
    for value in data["values"]:
        row = ParameterValue(
            parameter=parameter, valid_from=value["valid_from"], valid_to=value.get("valid_to"),
            value=_json_value(value["value"]), status=Status.PUBLISHED, legal_reference=value["legal_reference"],
            verification=value.get("verification", "unverified"), source=str(value.get("source", "")),
        )
        row.full_clean()
        row.save()
    return 1


def _json_value(value):
    """JSON keeps object keys as strings and numbers as numbers: 8인 stays "8", 0.0417 stays exact."""
    if isinstance(value, dict):
        return {str(k): _json_number(v) for k, v in value.items()}
    return _json_number(value)


def _json_number(value):
    return str(value) if isinstance(value, float) else value


def _benefit_import(data: dict, tags: dict, acting_user: User | None) -> int:
    if Benefit.objects.filter(code=data["code"]).exists():
        return 0
    benefit = Benefit(code=data["code"], **{f: data[f] for f in BENEFIT_FIELDS if data.get(f) is not None})
    for field in ("keywords_ko", "keywords_en"):
        if isinstance(data.get(field), list):
            setattr(benefit, field, ", ".join(data[field]))
    amount = data.get("amount") or {}
    benefit.amount_formula = amount.get("formula", "")
    benefit.amount_params = amount.get("params", {})
    benefit.amount_period = amount.get("period", "month")
    benefit.full_clean()
    benefit.save()
    benefit.tags.set(_benefit_tags(data, tags))
    benefit_search_index(benefit=benefit)
    for rule in data.get("rules", []):
        _rule_import(benefit, rule, acting_user)
    return 1


def _benefit_tags(data: dict, tags: dict) -> list[TaxonomyTag]:
    kinds = {"life_stages": "life_stage", "situations": "situation", "themes": "theme"}
    return [tags[(kind, str(code))] for key, kind in kinds.items() for code in data.get(key, [])]


def _rule_import(benefit: Benefit, data: dict, acting_user: User | None) -> None:
    rule = Rule(
        benefit=benefit, code=data["code"], status=Status.PUBLISHED, published_at=timezone.now(),
        published_by=acting_user, **{f: data.get(f) for f in RULE_FIELDS if data.get(f) is not None},
    )
    rule.full_clean()
    rule.save()
    for position, cond in enumerate(data.get("conditions", [])):
        _condition_create(rule, position, cond)


def _condition_create(rule: Rule, position: int, data: dict) -> Condition:
    condition = Condition(
        rule=rule, position=position, value=_value_text(data.get("value")),
        **{f: data.get(f) or ("" if f != "min_count" else None) for f in CONDITION_FIELDS},
    )
    try:
        condition.full_clean()
    except ValidationError as error:
        raise ValidationError(f"{rule.code} condition {position + 1}: {error.message_dict}") from None
    condition.save()
    return condition


def _value_text(value) -> str:
    """The admin edits values as text: lists as JSON, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


@transaction.atomic
def rule_new_version(*, rule: Rule, acting_user: User) -> Rule:
    """Copy a rule and its conditions into a new draft version for editing."""
    latest = Rule.objects.filter(code=rule.code).order_by("-version").first()
    draft = Rule(
        benefit=rule.benefit, code=rule.code, version=latest.version + 1, status=Status.DRAFT,
        **{f: getattr(rule, f) for f in RULE_FIELDS},
    )
    draft.full_clean()
    draft.save()
    for cond in rule.conditions.all():
        cond.pk, cond.rule = None, draft
        cond.save()
    audit_record(actor=acting_user, action="rule_new_version", target=draft, details={"from": rule.version})
    return draft


@dataclass(frozen=True)
class CaseResult:
    case: RuleTestCase
    outcome: str
    amount: int | None

    @property
    def passed(self) -> bool:
        amount_ok = self.case.expected_amount is None or self.case.expected_amount == self.amount
        return self.outcome == self.case.expected_outcome and amount_ok


def test_cases_run(*, benefit: Benefit, with_drafts: bool) -> list[CaseResult]:
    """Run the benefit's test cases against the published catalogue (plus its drafts if asked)."""
    benefits = selectors.benefits_for_engine(include_drafts_of=benefit if with_drafts else None)
    params = selectors.parameters_for_engine()
    results = []
    for case in benefit.test_cases.all():
        match = _match_for(case, benefits, params)
        results.append(CaseResult(case, match.outcome if match else "no_rule", _amount(match)))
    return results


def _match_for(case: RuleTestCase, benefits, params):
    try:
        household = parse_household({**case.household, "as_of": case.as_of.isoformat()})
    except HouseholdFormatError as error:
        raise ValidationError(f"{case.name}: {error}") from None
    try:
        screening = screen(household, benefits, params, case.as_of)
    except ParameterError as error:  # a figure the rules need is not published for that date
        raise PublishRefused([f"{case.name}: {error}"]) from None
    return next((m for m in screening.matches if m.benefit_code == case.benefit.code), None)


def _amount(match) -> int | None:
    return None if match is None or match.estimated_amount is None else match.estimated_amount.krw


@transaction.atomic
def rule_publish(*, rule: Rule, acting_user: User) -> Rule:
    """Publish a draft rule: refuse if any of its benefit's test cases fails; retire the old version."""
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != Status.DRAFT:
        raise PublishRefused([f"{rule} is not a draft"])
    failures = [
        f"{r.case.name}: expected {r.case.expected_outcome}/{r.case.expected_amount}, got {r.outcome}/{r.amount}"
        for r in test_cases_run(benefit=rule.benefit, with_drafts=True) if not r.passed
    ]
    if failures:
        raise PublishRefused(failures)
    Rule.objects.filter(code=rule.code, status=Status.PUBLISHED).update(status=Status.RETIRED)
    rule.status, rule.published_at, rule.published_by = Status.PUBLISHED, timezone.now(), acting_user
    rule.save(update_fields=["status", "published_at", "published_by"])
    audit_record(actor=acting_user, action="rule_publish", target=rule, details={"version": rule.version})
    return rule


# ---- the citizen portal: search text and screening drafts ------------------------------------------

def benefit_search_index(*, benefit: Benefit) -> Benefit:
    """Store the normalised text the portal searches the benefit by (eligibility/search.py)."""
    benefit.search_text = benefit_search_text(benefit)
    benefit.save(update_fields=["search_text"])
    return benefit


DRAFT_LIFETIME = dt.timedelta(days=7)
# No 0/O, 1/I/L: a code read out at a counter must not be misheard or mistyped.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def _draft_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def screening_draft_start() -> ScreeningDraft:
    """Open an empty draft with an unguessable token and a short code free among stored drafts."""
    code = _draft_code()
    while ScreeningDraft.objects.filter(code=code).exists():
        code = _draft_code()  # 31^8 codes: a clash is rare, but a code must name one draft
    draft = ScreeningDraft(token=secrets.token_urlsafe(32), code=code,
                           expires_at=timezone.now() + DRAFT_LIFETIME)
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def screening_draft_save_step(*, draft: ScreeningDraft, step: str, answers: dict) -> ScreeningDraft:
    """Merge one step's answers (household-format keys) into the draft and extend its life."""
    draft = ScreeningDraft.objects.select_for_update().get(pk=draft.pk)
    draft.answers = {**draft.answers, **answers}
    if step not in draft.steps_done:
        draft.steps_done = [*draft.steps_done, step]
    draft.expires_at = timezone.now() + DRAFT_LIFETIME
    draft.save(update_fields=["answers", "steps_done", "expires_at", "updated_at"])
    return draft


class DraftNotImportable(Exception):
    """The draft is gone, expired or not complete: there is no household to bring in."""


@transaction.atomic
def screening_draft_import(*, token: str, member: User, acting_user: User) -> list[Notice]:
    """Save a complete draft's answers as the member's household (with its history, screened again)
    and delete the draft: the answers now live in the member's record, and the token opens nothing.

    Only the holder of the token can call this (the views take it from the session it was put in);
    the draft locked for update cannot be brought into two accounts at once."""
    draft = ScreeningDraft.objects.select_for_update().filter(token=token, expires_at__gt=timezone.now()).first()
    today = timezone.localdate()
    if draft is None or not is_complete(draft.answers, draft.steps_done, today):
        raise DraftNotImportable(token)
    notices = member_household_change(member=member, document=household_doc(draft.answers, today),
                                      acting_user=acting_user)
    audit_record(actor=acting_user, action="screening_draft_import", target=member, details={"code": draft.code})
    draft.delete()
    return notices


@transaction.atomic
def screening_drafts_delete_expired(*, now: dt.datetime | None = None) -> int:
    """Delete drafts past their expiry (abandoned answers are not kept); return how many."""
    deleted, _ = ScreeningDraft.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


# ---- national re-screening (eligibility/rescreen.py holds the run and chunk services) ---------------

@transaction.atomic
def parameter_value_publish(*, value: ParameterValue, acting_user: User) -> ParameterValue:
    """Publish a draft parameter value (the admin shows the dry run first and re-screens after)."""
    value = ParameterValue.objects.select_for_update().get(pk=value.pk)
    if value.status != Status.DRAFT:
        raise PublishRefused([f"{value} is not a draft"])
    value.status = Status.PUBLISHED
    value.save(update_fields=["status"])
    audit_record(actor=acting_user, action="parameter_value_publish", target=value,
                 details={"parameter": value.parameter.name, "valid_from": value.valid_from.isoformat()})
    return value

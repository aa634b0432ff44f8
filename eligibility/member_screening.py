"""Screening members: the membership's household record through the engine, and a notice for each
benefit that newly became eligible or likely. A thin layer: membership owns the record and the
inbox; this module only reads one and writes the other through membership's services."""
import datetime as dt

from django.db import transaction
from django.utils import timezone

from eligibility.engine.evaluate import screen
from eligibility.engine.household import parse_household
from membership import selectors as member_selectors
from membership import services as member_services
from membership.models import Household, Notice, User

from .models import MemberBenefitResult, Rule, Status
from .published import published

POSITIVE = ("eligible", "likely")


def member_results(*, member: User) -> list[MemberBenefitResult]:
    """The member's latest results: eligible first, then likely, then the rest; by benefit code.

    The national re-screening stores outcomes without reasons (46 rows a member, written in bulk); the
    reasons of such a result are worked out again here by the scalar path, from the same household,
    and shown only where they explain the stored outcome under the same rule."""
    rows = list(MemberBenefitResult.objects.filter(household__member=member).select_related("household"))
    if any(not r.reasons for r in rows):
        _reasons_attach(rows)
    order = {"eligible": 0, "likely": 1, "needs_info": 2, "ineligible": 3}
    return sorted(rows, key=lambda r: (order.get(r.outcome, 9), r.benefit_code))


def _reasons_attach(rows: list[MemberBenefitResult]) -> None:
    current = published()
    document = member_selectors.household_document(household=rows[0].household)
    screening = screen(parse_household(document), current.benefits, current.parameters, timezone.localdate())
    matches = {m.benefit_code: m for m in screening.matches}
    for row in rows:
        match = matches.get(row.benefit_code)
        if not row.reasons and match and (match.outcome, match.rule_code) == (row.outcome, row.rule_code):
            row.reasons = _reasons_of(match)


def _reasons_of(match) -> list[dict]:
    return [{"ko": r.text_ko, "en": r.text_en, "passed": r.passed} for r in match.reasons]


@transaction.atomic
def member_household_change(*, member: User, document: dict, acting_user: User) -> list[Notice]:
    """Save the member's household (with its history) and re-screen it; return the notices written."""
    member_services.household_update(member=member, document=document, acting_user=acting_user)
    return member_rescreen(member=member, acting_user=acting_user)


@transaction.atomic
def member_rescreen(*, member: User, acting_user: User | None, as_of: dt.date | None = None) -> list[Notice]:
    """Screen the member's household against the published catalogue and store one result per benefit.

    A benefit that becomes eligible or likely on a re-screening writes a notice. The first screening
    writes none: the member is looking at those results as they are made. Without consent to the
    income and asset data the household is screened on what was declared only, and the results say so.
    """
    household = Household.objects.select_for_update().filter(member=member).first()
    if household is None:
        return []
    as_of = as_of or timezone.localdate()
    document = member_selectors.household_document(household=household)
    # The cached catalogue, its version checked now: a rule published a moment ago must count.
    current = published(max_age=0)
    catalogue = current.benefits
    screening = screen(parse_household(document), catalogue, current.parameters, as_of)
    previous = dict(MemberBenefitResult.objects.filter(household=household).values_list("benefit_code", "outcome"))
    declared_only = not member_selectors.has_income_asset_consent(member=member)
    benefits = {b.code: b for b in catalogue}
    versions = dict(Rule.objects.filter(status=Status.PUBLISHED).values_list("code", "version"))
    notices = []
    for match in screening.matches:
        _result_store(household, match, versions.get(match.rule_code, 0), declared_only)
        if previous and match.outcome in POSITIVE and previous.get(match.benefit_code) not in POSITIVE:
            notice = _notice_write(member, benefits[match.benefit_code], match, versions.get(match.rule_code, 0))
            notices += [notice] if notice else []
    MemberBenefitResult.objects.filter(household=household).exclude(
        benefit_code__in=[m.benefit_code for m in screening.matches]).delete()
    return notices


def _result_store(household: Household, match, rule_version: int, declared_only: bool) -> None:
    amount = match.estimated_amount
    MemberBenefitResult.objects.update_or_create(
        household=household, benefit_code=match.benefit_code,
        defaults={
            "outcome": match.outcome, "amount_krw": amount.krw if amount else None,
            "amount_period": amount.period if amount else "", "rule_code": match.rule_code,
            "rule_version": rule_version, "declared_only": declared_only, "screened_at": timezone.now(),
            "reasons": _reasons_of(match),
        },
    )


def _notice_write(member: User, benefit, match, rule_version: int) -> Notice | None:
    amount = match.estimated_amount
    won = f"{amount.krw:,}" if amount else ""
    return member_services.notice_create(
        member=member, kind=Notice.Kind.BENEFIT, benefit_code=benefit.code, rule_code=match.rule_code,
        rule_version=rule_version,
        title_ko=f"새로 받을 수 있는 복지: {benefit.name_ko}",
        title_en=f"A benefit you can now get: {benefit.name_en}",
        body_ko=f"가구 정보가 바뀌어 {benefit.name_ko}을(를) 받을 수 있을 것으로 보입니다." + (f" 예상 금액 {won}원." if won else ""),
        body_en=f"Your household changed: you are likely to get {benefit.name_en}." + (f" Estimated {won} won." if won else ""),
        acting_user=None,
    )

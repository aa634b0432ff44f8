"""Writes of the membership layer. Every write names its actor and leaves an audit row."""
import datetime as dt
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import crypto, selectors
from .consents import CONSENT_TEXTS
from .models import (
    AccessLog,
    AuditEvent,
    Consent,
    Household,
    HouseholdMember,
    HouseholdRevision,
    Membership,
    Notice,
    NoticeDelivery,
    NoticePreference,
    Office,
    User,
)


def audit_record(*, actor: User | None, action: str, target, details: dict | None = None) -> AuditEvent:
    """Append one audit row for `action` on `target` (None: nothing in particular) by `actor` (None: the system)."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=details or {},
    )


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str, office: Office | None = None, acting_user: User | None = None,
    **fields,
) -> User:
    """Create a user with a hashed password; staff roles need an office (enforced by a constraint)."""
    user = User(username=username, role=role, office=office, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(actor=acting_user, action="user_create", target=user, details={"role": role})
    return user


# ---- The membership: sign-up, enrolment, consent, the household, notices, leaving, the access log --------

class MembershipRefused(Exception):
    """A membership write that the rules forbid; the message is shown to the person."""


def citizen_signup(*, username: str, email: str, password: str, full_name: str) -> User:
    """Create a citizen account: no resident registration number is asked for."""
    return user_create(username=username, password=password, role=User.Role.CITIZEN, email=email,
                       first_name=full_name, acting_user=None)


@transaction.atomic
def membership_enroll(
    *, member: User, items: set[str], acting_user: User, evidence: str = "", office: Office | None = None,
) -> Membership:
    """Enrol `member` with the consent items given; the terms are required. Staff enrolment at any
    office records the staff member, the office and the consent evidence."""
    if Consent.Item.TERMS not in items:
        raise MembershipRefused("terms")
    by_staff = acting_user.pk != member.pk
    membership, _created = Membership.objects.update_or_create(
        member=member,
        defaults={"status": Membership.Status.ACTIVE, "left_at": None,
                  "channel": Membership.Channel.WALK_IN if by_staff else Membership.Channel.ONLINE,
                  "enrolled_by": acting_user if by_staff else None, "enrolled_office": office if by_staff else None},
    )
    for item in sorted(items):
        consent_give(member=member, item=item, acting_user=acting_user, evidence=evidence, office=office)
    NoticePreference.objects.get_or_create(member=member, defaults={"language": member.preferred_language})
    if by_staff:
        access_log_record(staff=acting_user, subject=member, action=AccessLog.Action.ENROL, what="membership")
    audit_record(actor=acting_user, action="membership_enroll", target=membership,
                 details={"items": sorted(items), "office": office.code if office else None})
    return membership


@transaction.atomic
def consent_give(
    *, member: User, item: str, acting_user: User, evidence: str = "", office: Office | None = None,
) -> Consent:
    """Record one consent item in its current version; giving a live item again changes nothing."""
    existing = Consent.objects.filter(member=member, item=item, withdrawn_at__isnull=True).first()
    if existing:
        return existing
    text = CONSENT_TEXTS[item]
    by_staff = acting_user.pk != member.pk
    consent = Consent(
        member=member, item=item, version=text.version, text_sha256=text.sha256,
        channel=Consent.Channel.STAFF if by_staff else Consent.Channel.SELF,
        recorded_by=acting_user if by_staff else None, office=office if by_staff else None,
        evidence=evidence if by_staff else "",
    )
    consent.full_clean()
    consent.save()
    audit_record(actor=acting_user, action="consent_give", target=consent, details={"item": item})
    return consent


@transaction.atomic
def consent_withdraw(*, member: User, item: str, acting_user: User) -> Consent | None:
    """Withdraw a live consent item; notices waiting on that channel are cancelled at once."""
    consent = Consent.objects.select_for_update().filter(member=member, item=item, withdrawn_at__isnull=True).first()
    if consent is None:
        return None
    by_staff = acting_user.pk != member.pk
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_channel = Consent.Channel.STAFF if by_staff else Consent.Channel.SELF
    consent.save(update_fields=["withdrawn_at", "withdrawn_channel"])
    channel = {Consent.Item.NOTICE_EMAIL: "email", Consent.Item.NOTICE_SMS: "sms"}.get(item)
    if channel:
        _deliveries_cancel(member=member, channels=[channel])
    audit_record(actor=acting_user, action="consent_withdraw", target=consent, details={"item": item})
    return consent


def _deliveries_cancel(*, member: User, channels: list[str]) -> int:
    return NoticeDelivery.objects.filter(
        notice__member=member, channel__in=channels, status=NoticeDelivery.Status.PENDING
    ).update(status=NoticeDelivery.Status.CANCELLED)


HOUSEHOLD_FIELDS = {
    "region.sido": "sido", "region.sigungu": "sigungu", "housing.tenure": "tenure",
    "housing.monthly_rent": "monthly_rent",
    **{f"assets.{k}": f"asset_{k}" for k in ("housing", "general", "financial", "car_value", "car_cc", "debt")},
    **{f"status.{k}": k for k in ("nbls_recipient", "near_poor", "single_parent", "crisis_event", "job_seeker")},
}
MEMBER_FIELDS = ("relation", "birth_date", "disability", "pregnant", "school")
INCOME_FIELDS = ("earned", "business", "property", "public_transfer", "private_transfer")


@transaction.atomic
def household_update(*, member: User, document: dict, acting_user: User) -> Household:
    """Replace the member's household with `document` (docs/household-format.md) and keep the old one
    as history: a new revision names the fields that changed."""
    household = Household.objects.select_for_update().filter(member=member).first() or Household(member=member)
    before = selectors.household_document(household=household) if household.pk else {}
    for path, column in HOUSEHOLD_FIELDS.items():
        section, key = path.split(".")
        field = household._meta.get_field(column)
        setattr(household, column, document.get(section, {}).get(key, field.default if field.has_default() else None))
    household.version += 1
    household.full_clean(exclude=["member"])
    household.save()
    household.members.all().delete()
    for position, data in enumerate(document["members"]):
        _household_member_create(household, position, data)
    after = selectors.household_document(household=household)
    HouseholdRevision.objects.create(household=household, version=household.version, document=after,
                                     changed_fields=selectors.document_diff(before, after), changed_by=acting_user)
    Membership.objects.filter(member=member).update(home_office=selectors.office_for_region(
        sido=household.sido, sigungu=household.sigungu))
    audit_record(actor=acting_user, action="household_update", target=household, details={"version": household.version})
    return household


def _household_member_create(household: Household, position: int, data: dict) -> HouseholdMember:
    income = data.get("income", {})
    row = HouseholdMember(
        household=household, position=position, **{f: data[f] for f in MEMBER_FIELDS if f in data},
        **{f"income_{k}": income.get(k, 0) for k in INCOME_FIELDS},
    )
    row.full_clean(exclude=["household"])
    row.save()
    return row


@transaction.atomic
def member_rrn_set(*, member: User, rrn: str, acting_user: User) -> Membership:
    """Store a resident registration number that staff verified: encrypted, its birth part for the mask.
    The number itself goes into no log, audit row or message."""
    digits = crypto.rrn_normalise(rrn)
    membership = Membership.objects.select_for_update().get(member=member)
    membership.rrn_encrypted = crypto.rrn_encrypt(digits, member_id=member.pk)
    membership.rrn_birth_part = digits[:6]
    membership.save(update_fields=["rrn_encrypted", "rrn_birth_part"])
    audit_record(actor=acting_user, action="member_rrn_set", target=membership)
    return membership


def access_log_record(*, staff: User, subject: User, action: str, what: str, reason: str = "",
                      ip_address: str | None = None) -> AccessLog:
    """Append one 접속기록 row: who, when, from where, whose data, what action (append-only)."""
    return AccessLog.objects.create(staff=staff, subject=subject, office=staff.office, action=action, what=what,
                                    reason=reason, ip_address=ip_address)


@transaction.atomic
def counter_service_begin(*, staff: User, member: User, reason: str, ip_address: str | None) -> AccessLog:
    """Record why a staff member opens the record of a member from another office they serve at the counter."""
    if staff.role == User.Role.CITIZEN or not reason.strip():
        raise MembershipRefused("reason")
    return access_log_record(staff=staff, subject=member, action=AccessLog.Action.COUNTER, what="membership",
                             reason=reason.strip(), ip_address=ip_address)


@transaction.atomic
def notice_create(
    *, member: User, kind: str, title_ko: str, title_en: str, body_ko: str = "", body_en: str = "",
    benefit_code: str = "", rule_code: str = "", rule_version: int = 0, acting_user: User | None = None,
) -> Notice | None:
    """Put a notice in an active member's inbox and schedule it on each consented channel; return None
    when the member has left or already has this benefit notice for this rule version."""
    if not Membership.objects.filter(member=member, status=Membership.Status.ACTIVE).exists():
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                member=member, kind=kind, title_ko=title_ko, title_en=title_en, body_ko=body_ko, body_en=body_en,
                benefit_code=benefit_code, rule_code=rule_code, rule_version=rule_version,
            )
    except IntegrityError:
        return None  # this member was already told about this benefit under this rule version
    for channel in selectors.notice_channels(member=member):
        _delivery_schedule(notice, channel)
    audit_record(actor=acting_user, action="notice_create", target=notice, details={"benefit": benefit_code})
    return notice


def _delivery_schedule(notice: Notice, channel: str) -> NoticeDelivery:
    from .tasks import notice_deliver as notice_deliver_task

    now = timezone.now()
    send_after = selectors.sms_allowed_from(member=notice.member, now=now) if channel == "sms" else now
    delivery = NoticeDelivery.objects.create(notice=notice, channel=channel, send_after=send_after)
    if send_after <= now:
        transaction.on_commit(lambda: notice_deliver_task.delay(delivery.pk))
    return delivery


def notice_deliver(*, delivery_id: int) -> bool:
    """Send one due delivery once: re-check consent at send time, then claim it with a conditional UPDATE."""
    delivery = NoticeDelivery.objects.select_related("notice__member").get(pk=delivery_id)
    member = delivery.notice.member
    if delivery.channel not in selectors.notice_channels(member=member):
        NoticeDelivery.objects.filter(pk=delivery_id, status="pending").update(status="cancelled")
        return False
    claimed = NoticeDelivery.objects.filter(
        pk=delivery_id, status=NoticeDelivery.Status.PENDING, send_after__lte=timezone.now()
    ).update(status=NoticeDelivery.Status.SENT, sent_at=timezone.now())
    if not claimed:
        return False  # another worker got there first, or it is not due yet
    try:
        ref = _send(delivery, member)
    except Exception:
        # The provider did not take it: release the claim so the task's retry (or the sweep) sends it.
        NoticeDelivery.objects.filter(pk=delivery_id).update(status=NoticeDelivery.Status.PENDING, sent_at=None)
        raise
    NoticeDelivery.objects.filter(pk=delivery_id).update(provider_ref=ref)
    return True


def _send(delivery: NoticeDelivery, member: User) -> str:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from . import sms

    notice = delivery.notice
    pref = NoticePreference.objects.get(member=member)
    title = notice.title_ko if pref.language == "ko" else notice.title_en
    if delivery.channel == NoticeDelivery.Channel.SMS:
        return sms.sms_gateway().send(phone=pref.phone, text=f"[복지멤버십] {title}")
    body = render_to_string("emails/notice.txt", {"notice": notice, "title": title, "language": pref.language,
                                                   "site_url": settings.SITE_URL})
    send_mail(title, body, None, [member.email])
    return f"email-{notice.pk}"


def notice_deliveries_due() -> list[int]:
    """Ids of deliveries held for quiet hours that are now due (the beat sweep sends them)."""
    return list(NoticeDelivery.objects.filter(status="pending", send_after__lte=timezone.now())
                .values_list("pk", flat=True)[:1000])


@transaction.atomic
def notice_mark_read(*, notice: Notice, acting_user: User) -> Notice:
    """Mark a notice read (the first time only)."""
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def notice_preference_update(*, member: User, phone: str, language: str, quiet_start: dt.time,
                             quiet_end: dt.time, acting_user: User) -> NoticePreference:
    """Change how the member is told; SMS is never sent in quiet hours, 21:00–08:00 at the widest."""
    pref, _created = NoticePreference.objects.get_or_create(member=member)
    pref.phone, pref.language, pref.quiet_start, pref.quiet_end = phone, language, quiet_start, quiet_end
    pref.full_clean()
    pref.save()
    audit_record(actor=acting_user, action="notice_preference_update", target=pref, details={"language": language})
    return pref


@transaction.atomic
def membership_leave(*, member: User, acting_user: User) -> Membership:
    """End the membership: notices stop at once; the household, inbox, preferences and RRN are deleted
    and the account anonymised. Consent records and the access log are kept apart, as the law requires."""
    membership = Membership.objects.select_for_update().get(member=member, status=Membership.Status.ACTIVE)
    Consent.objects.filter(member=member, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_channel=Consent.Channel.SELF if acting_user.pk == member.pk else "staff")
    _deliveries_cancel(member=member, channels=["email", "sms"])
    Notice.objects.filter(member=member).delete()
    Household.objects.filter(member=member).delete()
    NoticePreference.objects.filter(member=member).delete()
    membership.status, membership.left_at = Membership.Status.LEFT, timezone.now()
    membership.rrn_encrypted, membership.rrn_birth_part, membership.home_office = None, "", None
    membership.save(update_fields=["status", "left_at", "rrn_encrypted", "rrn_birth_part", "home_office"])
    member.username, member.email, member.first_name, member.last_name = f"left-{member.pk}", "", "", ""
    member.is_active = False
    member.set_unusable_password()
    member.save(update_fields=["username", "email", "first_name", "last_name", "is_active", "password"])
    audit_record(actor=acting_user, action="membership_leave", target=membership)
    return membership


@transaction.atomic
def walkin_enroll(*, full_name: str, email: str, phone: str, items: set[str], evidence: str,
                  acting_user: User) -> Membership:
    """A caseworker at any office enrols a walk-in: an account without a password (the person can set
    one by e-mail later), the consents with their evidence, and the counter access that follows."""
    if acting_user.role == User.Role.CITIZEN:
        raise MembershipRefused("staff")
    member = user_create(username=f"walkin-{uuid.uuid4().hex[:10]}", password=None, role=User.Role.CITIZEN,
                         email=email, first_name=full_name, acting_user=acting_user)
    membership = membership_enroll(member=member, items=items, acting_user=acting_user, evidence=evidence,
                                   office=acting_user.office)
    NoticePreference.objects.filter(member=member).update(phone=phone)
    return membership

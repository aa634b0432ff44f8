"""Writes of the membership layer. Every write names its actor and leaves an audit row."""
import datetime as dt
import logging
import smtplib
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
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

logger = logging.getLogger(__name__)

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
    _deliveries_schedule([notice.pk])
    audit_record(actor=acting_user, action="notice_create", target=notice, details={"benefit": benefit_code})
    return notice


# ---- Delivery of notices by e-mail and SMS --------------------------------------------------------------
# pending -> sending (a conditional UPDATE claims it: claimed_at, attempts + 1) -> sent | failed | cancelled.
# A transient failure goes back to pending, due after a backoff, until the attempts run out; a row left
# `sending` by a dead worker is put back by the sweep. Every attempt at one row carries the same
# idempotency key, so a provider that already took it does not send it twice.

@transaction.atomic
def notice_deliveries_schedule(*, notice_ids: list[int]) -> int:
    """Create the delivery rows of these notices, one per consented, reachable channel of an active member
    (SMS due at the end of the member's quiet hours), and enqueue the due ones once the transaction
    commits. Rows that exist already are kept. Return how many rows were created; a fixed number of
    queries however many notices (the national re-screening calls it per chunk)."""
    created = _deliveries_schedule(notice_ids)
    audit_record(actor=None, action="notice_deliveries_schedule", target=None,
                 details={"notices": len(notice_ids), "deliveries": created})
    return created


def _deliveries_schedule(notice_ids: list[int]) -> int:
    now = timezone.now()
    plans = selectors.notice_delivery_plans(notice_ids=notice_ids, now=now)
    existing = set(NoticeDelivery.objects.filter(notice_id__in=notice_ids).values_list("notice_id", "channel"))
    rows = [NoticeDelivery(notice_id=p.notice_id, channel=p.channel, send_after=p.send_after,
                           enqueued_at=now if p.send_after <= now else None)
            for p in plans if (p.notice_id, p.channel) not in existing]
    # A concurrent scheduler's row for the same notice and channel wins; ours is dropped.
    NoticeDelivery.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    # The rows this call inserted as due carry its timestamp; held SMS wait for the sweep.
    due = NoticeDelivery.objects.filter(notice_id__in=notice_ids, status=NoticeDelivery.Status.PENDING, enqueued_at=now)
    _deliveries_enqueue(list(due.values_list("pk", flat=True)))
    return len(rows)


def _deliveries_enqueue(delivery_ids: list[int]) -> None:
    """Enqueue one task per delivery once the transaction commits. A broker that is down then only
    delays them: the sweep finds rows enqueued long ago and still pending, and enqueues them again."""
    from .tasks import notice_deliver as notice_deliver_task

    def enqueue():
        for delivery_id in delivery_ids:
            notice_deliver_task.delay(delivery_id)

    if delivery_ids:
        transaction.on_commit(enqueue, robust=True)


def notice_deliver(*, delivery_id: int) -> int | None:
    """Send one due delivery, at most once, and record the outcome on its row. Consent, the address and
    (for SMS) quiet hours are checked again now. Return the seconds after which to try again (a
    transient failure), else None: sent, failed, cancelled, held, not due, or another worker has it.

    Not one transaction, on purpose: the claim is committed before the message leaves, so a worker that
    dies while sending leaves a `sending` row for the sweep, and no transaction stays open over the network.
    """
    now = timezone.now()
    claimed = NoticeDelivery.objects.filter(
        pk=delivery_id, status=NoticeDelivery.Status.PENDING, send_after__lte=now
    ).update(status=NoticeDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None  # another worker got there first, it is not due yet, or it is finished
    delivery = NoticeDelivery.objects.select_related("notice__member").filter(pk=delivery_id).first()
    if delivery is None:
        return None  # the member left meanwhile: the notice and its deliveries are gone
    member = delivery.notice.member
    if not selectors.notice_channel_consented(member=member, channel=delivery.channel):
        _delivery_finish(delivery, status=NoticeDelivery.Status.CANCELLED, last_error="consent withdrawn")
        return None
    pref = NoticePreference.objects.filter(member=member).first()
    if delivery.channel == NoticeDelivery.Channel.SMS and pref is not None:
        allowed = selectors.quiet_hours_end(pref=pref, now=now)
        if allowed > now:  # the member moved their quiet hours, or a retry fell into them: wait, as a row
            _delivery_finish(delivery, status=NoticeDelivery.Status.PENDING, send_after=allowed, enqueued_at=None,
                             attempts=F("attempts") - 1)
            return None
    return _delivery_attempt(delivery, member, pref)


def _delivery_attempt(delivery: NoticeDelivery, member: User, pref: NoticePreference | None) -> int | None:
    from .sms import PermanentSendError, TransientSendError

    try:
        ref = _send(delivery, member, pref)
    except PermanentSendError as error:
        _delivery_finish(delivery, status=NoticeDelivery.Status.FAILED, last_error=str(error))
        return None
    except TransientSendError as error:
        return _delivery_retry_later(delivery, str(error))
    _delivery_finish(delivery, status=NoticeDelivery.Status.SENT, sent_at=timezone.now(), provider_ref=ref[:100],
                     last_error="")
    return None


def _delivery_retry_later(delivery: NoticeDelivery, error: str) -> int | None:
    if delivery.attempts >= settings.NOTICE_DELIVERY_MAX_ATTEMPTS:
        _delivery_finish(delivery, status=NoticeDelivery.Status.FAILED,
                         last_error=f"{error} (attempt {delivery.attempts}, the last)")
        return None
    wait = delivery_backoff(delivery.attempts)
    now = timezone.now()
    back = _delivery_finish(delivery, status=NoticeDelivery.Status.PENDING, send_after=now + dt.timedelta(seconds=wait),
                            enqueued_at=now, last_error=f"{error} (attempt {delivery.attempts})")
    return wait if back else None


def delivery_backoff(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed attempt: 15, 60, 240, then 300 at most."""
    first, longest = settings.NOTICE_DELIVERY_BACKOFF_SECONDS
    return min(first * 4 ** (attempts - 1), longest)


def _delivery_finish(delivery: NoticeDelivery, **fields) -> bool:
    """Leave `sending` for the state in `fields`, only if the row is still this attempt's claim."""
    finished = NoticeDelivery.objects.filter(
        pk=delivery.pk, status=NoticeDelivery.Status.SENDING, attempts=delivery.attempts
    ).update(**{k: v[:300] if k == "last_error" else v for k, v in fields.items()})
    if not finished:
        # The sweep took the row back while this attempt ran: the next attempt, with the same
        # idempotency key, records the outcome instead.
        logger.warning("notice delivery %s: attempt %s finished after its claim was swept", delivery.pk,
                       delivery.attempts)
    return bool(finished)


def _send(delivery: NoticeDelivery, member: User, pref: NoticePreference | None) -> str:
    """Hand the message to its channel; return the provider's reference or raise a SendError."""
    from .sms import PermanentSendError, sms_gateway

    notice = delivery.notice
    language = pref.language if pref else member.preferred_language
    title = notice.title_ko if language == "ko" else notice.title_en
    if delivery.channel == NoticeDelivery.Channel.SMS:
        if pref is None or not pref.phone:
            raise PermanentSendError("no mobile phone number")
        return sms_gateway().send(phone=pref.phone, text=f"[복지멤버십] {title}",
                                  idempotency_key=delivery.idempotency_key)
    if not member.email:
        raise PermanentSendError("no e-mail address")
    body = render_to_string("emails/notice.txt", {"notice": notice, "title": title, "language": language,
                                                   "site_url": settings.SITE_URL})
    return _email_send(delivery, title, body, member.email)


def _email_send(delivery: NoticeDelivery, subject: str, body: str, to: str) -> str:
    """Send by SMTP. SMTP has no idempotency key: the stable Message-ID lets mail systems that dedupe on
    it drop a re-send after a crash between "accepted" and "marked sent" (a window of one UPDATE)."""
    from .sms import PermanentSendError, TransientSendError

    message_id = f"<{delivery.idempotency_key}@{urlsplit(settings.SITE_URL).hostname}>"
    try:
        EmailMessage(subject, body, None, [to], headers={"Message-ID": message_id}).send()
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentSendError("mail server refused the recipient") from error
    except (smtplib.SMTPException, OSError) as error:
        raise TransientSendError(f"mail server: {type(error).__name__}") from error
    return message_id


@transaction.atomic
def notice_deliveries_sweep() -> int:
    """Put back to pending the deliveries whose worker died while sending them (failed, if that was
    their last attempt), then enqueue the due pending deliveries that have no task on the broker.
    Return how many were enqueued (beat runs it every minute)."""
    now = timezone.now()
    _deliveries_release_stale(now)
    requeue_before = now - dt.timedelta(seconds=settings.NOTICE_DELIVERY_REQUEUE_SECONDS)
    ids = selectors.notice_deliveries_due(now=now, requeue_before=requeue_before,
                                          limit=settings.NOTICE_DELIVERY_SWEEP_BATCH)
    NoticeDelivery.objects.filter(pk__in=ids).update(enqueued_at=now)
    _deliveries_enqueue(ids)
    return len(ids)


def _deliveries_release_stale(now: dt.datetime) -> None:
    stale = NoticeDelivery.objects.filter(
        status=NoticeDelivery.Status.SENDING,
        claimed_at__lte=now - dt.timedelta(seconds=settings.NOTICE_DELIVERY_STALE_SECONDS))
    last = settings.NOTICE_DELIVERY_MAX_ATTEMPTS
    failed = stale.filter(attempts__gte=last).update(
        status=NoticeDelivery.Status.FAILED, last_error=f"worker lost while sending (attempt {last}, the last)")
    released = stale.update(status=NoticeDelivery.Status.PENDING, send_after=now, enqueued_at=None)
    if failed or released:
        audit_record(actor=None, action="notice_deliveries_release_stale", target=None,
                     details={"released": released, "failed": failed})


@transaction.atomic
def notice_deliveries_redrive(*, delivery_ids: list[int], acting_user: User) -> int:
    """Send failed deliveries again (the admin's "send again"): due now, attempts reset, enqueued once the
    transaction commits; one audit row each, with the error it had. Deliveries in any other state are
    left as they are. Return how many will be sent again."""
    failed = dict(NoticeDelivery.objects.select_for_update()
                  .filter(pk__in=delivery_ids, status=NoticeDelivery.Status.FAILED).values_list("pk", "last_error"))
    now = timezone.now()
    NoticeDelivery.objects.filter(pk__in=failed, status=NoticeDelivery.Status.FAILED).update(
        status=NoticeDelivery.Status.PENDING, attempts=0, send_after=now, enqueued_at=now, claimed_at=None,
        last_error="")
    AuditEvent.objects.bulk_create([
        AuditEvent(actor=acting_user, action="notice_delivery_redrive", target_type=NoticeDelivery._meta.label_lower,
                   target_id=str(pk), details={"last_error": error}) for pk, error in failed.items()])
    _deliveries_enqueue(list(failed))
    return len(failed)


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

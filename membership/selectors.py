"""Reads of the membership layer: the household as a format document, consents, notices, the access log."""
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import (
    AccessLog,
    Consent,
    Household,
    Membership,
    Notice,
    NoticeDelivery,
    NoticePreference,
    Office,
    User,
)

KST = ZoneInfo("Asia/Seoul")
COUNTER_ACCESS_HOURS = 8  # a counter reason opens the record for the rest of that working day
STAFF_ROLES = (User.Role.CASEWORKER, User.Role.PARTNER_WORKER, User.Role.SUPERVISOR, User.Role.ADMIN)


def household_get(*, member: User) -> Household | None:
    return Household.objects.filter(member=member).prefetch_related("members").first()


def household_document(*, household: Household) -> dict:
    """The household in the JSON format of docs/household-format.md (what the engine parses)."""
    status = {k: getattr(household, k) for k in ("nbls_recipient", "near_poor", "single_parent")}
    status.update({k: getattr(household, k) for k in ("crisis_event", "job_seeker") if getattr(household, k) is not None})
    return {
        "region": {"sido": household.sido, "sigungu": household.sigungu},
        "housing": {"tenure": household.tenure, "monthly_rent": household.monthly_rent},
        "members": [_member_document(m) for m in household.members.all()],
        "assets": {k: getattr(household, f"asset_{k}") for k in
                   ("housing", "general", "financial", "car_value", "car_cc", "debt")},
        "status": status,
    }


def _member_document(m) -> dict:
    return {
        "relation": m.relation, "birth_date": m.birth_date.isoformat(), "disability": m.disability,
        "pregnant": m.pregnant, "school": m.school,
        "income": {k: getattr(m, f"income_{k}") for k in
                   ("earned", "business", "property", "public_transfer", "private_transfer")},
    }


def document_diff(before: dict, after: dict, prefix: str = "") -> list[str]:
    """Dotted paths whose value differs between two household documents (members compared by position)."""
    changed = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        path = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict):
            changed += document_diff(a, b, path + ".")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                changed += document_diff(x, y, f"{path}[{i}].")
        elif a != b:
            changed.append(path)
    return changed


def household_changes_latest(*, member: User) -> list[str]:
    """What changed in the household's latest revision (the 'since last time' panel)."""
    household = Household.objects.filter(member=member).first()
    revision = household.revisions.first() if household else None
    return revision.changed_fields if revision and revision.version > 1 else []


def office_for_region(*, sido: str, sigungu: str) -> Office | None:
    """The community center of the registered address: the member's home office."""
    offices = Office.objects.filter(kind=Office.Kind.COMMUNITY_CENTER, sido=sido, sigungu=sigungu)
    return offices.order_by("code").first()


def membership_get(*, member: User) -> Membership | None:
    return Membership.objects.filter(member=member).select_related("home_office", "enrolled_office").first()


def consents_live(*, member: User) -> dict[str, Consent]:
    """The member's consents in force, by item."""
    return {c.item: c for c in Consent.objects.filter(member=member, withdrawn_at__isnull=True)}


def consent_history(*, member: User) -> QuerySet[Consent]:
    return Consent.objects.filter(member=member).select_related("recorded_by", "office").order_by("-given_at")


def has_income_asset_consent(*, member: User) -> bool:
    return Consent.objects.filter(member=member, item=Consent.Item.INCOME_ASSETS, withdrawn_at__isnull=True).exists()


CHANNEL_CONSENTS = {NoticeDelivery.Channel.EMAIL: Consent.Item.NOTICE_EMAIL,
                    NoticeDelivery.Channel.SMS: Consent.Item.NOTICE_SMS}


def notice_channels(*, member: User) -> list[str]:
    """Outside channels the member consented to and can be reached on (in-app needs no consent)."""
    pref = NoticePreference.objects.filter(member=member).first()
    return _reachable(set(consents_live(member=member)), member.email, pref.phone if pref else "")


def _reachable(consented_items: set[str], email: str, phone: str) -> list[str]:
    addresses = {NoticeDelivery.Channel.EMAIL: email, NoticeDelivery.Channel.SMS: phone}
    return [str(channel) for channel, item in CHANNEL_CONSENTS.items() if item in consented_items and addresses[channel]]


def notice_channel_consented(*, member: User, channel: str) -> bool:
    """Whether the member's consent to notices on `channel` is in force right now (checked at send time)."""
    return Consent.objects.filter(member=member, item=CHANNEL_CONSENTS[channel], withdrawn_at__isnull=True).exists()


def sms_allowed_from(*, member: User, now: dt.datetime) -> dt.datetime:
    """`now`, or the end of the member's quiet hours (KST) when `now` falls inside them."""
    return quiet_hours_end(pref=NoticePreference.objects.get(member=member), now=now)


def quiet_hours_end(*, pref: NoticePreference, now: dt.datetime) -> dt.datetime:
    """`now`, or the end of the quiet hours of `pref` (KST) when `now` falls inside them."""
    local = now.astimezone(KST)
    start, end = pref.quiet_start, pref.quiet_end
    t = local.time()
    quiet = (start <= t or t < end) if start > end else (start <= t < end)
    if not quiet:
        return now
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=KST)


@dataclass(frozen=True)
class DeliveryPlan:
    notice_id: int
    channel: str
    send_after: dt.datetime


def notice_delivery_plans(*, notice_ids: list[int], now: dt.datetime) -> list[DeliveryPlan]:
    """One plan per consented, reachable channel of each notice of an active member: due `now`, or for
    SMS at the end of the member's quiet hours. Three queries, however many notices."""
    notices = list(Notice.objects.filter(pk__in=notice_ids, member__membership__status=Membership.Status.ACTIVE)
                   .values_list("pk", "member_id", "member__email"))
    members = {member_id for _pk, member_id, _email in notices}
    consented = set(Consent.objects.filter(member_id__in=members, item__in=CHANNEL_CONSENTS.values(),
                                           withdrawn_at__isnull=True).values_list("member_id", "item"))
    prefs = {p.member_id: p for p in NoticePreference.objects.filter(member_id__in=members)}
    plans = []
    for notice_id, member_id, email in notices:
        pref = prefs.get(member_id)
        items = {item for item in CHANNEL_CONSENTS.values() if (member_id, item) in consented}
        for channel in _reachable(items, email, pref.phone if pref else ""):
            due = quiet_hours_end(pref=pref, now=now) if channel == NoticeDelivery.Channel.SMS else now
            plans.append(DeliveryPlan(notice_id, channel, due))
    return plans


def notice_deliveries_due(*, now: dt.datetime, requeue_before: dt.datetime, limit: int) -> list[int]:
    """Ids of due pending deliveries that have no task on the broker: never enqueued (held for quiet
    hours, or put back by the sweep), or enqueued and due before `requeue_before`, so their message was lost."""
    lost = Q(enqueued_at__lte=requeue_before, send_after__lte=requeue_before)
    rows = NoticeDelivery.objects.filter(Q(enqueued_at__isnull=True) | lost, status=NoticeDelivery.Status.PENDING,
                                         send_after__lte=now)
    return list(rows.order_by("send_after").values_list("pk", flat=True)[:limit])


@dataclass(frozen=True)
class DeliveryFigures:
    """Deliveries counted by day (rows, newest first) and by channel and status (columns)."""

    columns: list[tuple[str, str]]
    rows: list[tuple[dt.date, list[int]]]
    totals: list[int]


def notice_delivery_figures(*, today: dt.date, days: int = 14) -> DeliveryFigures:
    """The deliveries scheduled in the last `days` KST days, today included, by day, channel and status:
    one aggregate query."""
    since = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time.min, tzinfo=KST)
    counted = (NoticeDelivery.objects.filter(created_at__gte=since)
               .annotate(day=TruncDate("created_at", tzinfo=KST)).values("day", "channel", "status")
               .annotate(n=Count("pk")).order_by())
    counts = {(c["day"], c["channel"], c["status"]): c["n"] for c in counted}
    columns = [(channel, status) for channel in NoticeDelivery.Channel.values for status in NoticeDelivery.Status.values]
    rows = [(day, [counts.get((day, *column), 0) for column in columns])
            for day in (today - dt.timedelta(days=i) for i in range(days))]
    return DeliveryFigures(columns, rows, [sum(column) for column in zip(*(r[1] for r in rows), strict=True)])


def notices_for(*, member: User) -> QuerySet[Notice]:
    """The inbox: unread first, newest first."""
    return Notice.objects.filter(member=member)


def notice_get(*, member: User, notice_id: int) -> Notice | None:
    return Notice.objects.filter(member=member, pk=notice_id).first()


def access_log_for_subject(*, member: User) -> QuerySet[AccessLog]:
    """'Who looked at my record': every staff access to this member."""
    return AccessLog.objects.filter(subject=member).select_related("staff", "office")


def access_log_search(*, date_from: dt.date | None, date_to: dt.date | None, staff: User | None,
                      subject: User | None) -> QuerySet[AccessLog]:
    """The supervisor's review: by period (KST days, inclusive), staff member and subject."""
    rows = AccessLog.objects.select_related("staff", "subject", "office")
    if date_from:
        rows = rows.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=KST))
    if date_to:
        rows = rows.filter(at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=KST))
    if staff:
        rows = rows.filter(staff=staff)
    if subject:
        rows = rows.filter(subject=subject)
    return rows


def staff_may_open(*, staff: User, member: User) -> bool:
    """Staff open members of their own office, or one they serve at the counter after recording why."""
    if staff.role not in STAFF_ROLES or staff.office_id is None:
        return False
    membership = Membership.objects.filter(member=member).only("home_office_id").first()
    if membership and membership.home_office_id == staff.office_id:
        return True
    since = timezone.now() - dt.timedelta(hours=COUNTER_ACCESS_HOURS)
    return AccessLog.objects.filter(staff=staff, subject=member, action__in=["counter", "enrol"], at__gte=since).exists()


def member_find_exact(*, key: str) -> User | None:
    """A member by exact username or e-mail (ISMS-P 3.2.3 일치검색: no partial search of people)."""
    key = key.strip()
    if not key:
        return None
    members = User.objects.filter(role=User.Role.CITIZEN, membership__status=Membership.Status.ACTIVE)
    return members.filter(username=key).first() or members.filter(email__iexact=key).first()


def members_of_office(*, office: Office) -> QuerySet[User]:
    """Active members whose registered address belongs to `office`, for its staff's list."""
    return (User.objects.filter(membership__home_office=office, membership__status=Membership.Status.ACTIVE)
            .select_related("membership").order_by("last_name", "first_name", "pk"))


def mask_name(name: str) -> str:
    """김*수: the first and last character of a name; one-character names are fully masked."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]

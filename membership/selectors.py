"""Reads of the membership layer: the household as a format document, consents, notices, the access log."""
import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from .models import AccessLog, Consent, Household, Membership, Notice, NoticePreference, Office, User

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


def notice_channels(*, member: User) -> list[str]:
    """Outside channels the member consented to and can be reached on (in-app needs no consent)."""
    live = consents_live(member=member)
    channels = []
    if Consent.Item.NOTICE_EMAIL in live and member.email:
        channels.append("email")
    pref = NoticePreference.objects.filter(member=member).first()
    if Consent.Item.NOTICE_SMS in live and pref is not None and pref.phone:
        channels.append("sms")
    return channels


def sms_allowed_from(*, member: User, now: dt.datetime) -> dt.datetime:
    """`now`, or the end of the member's quiet hours (KST) when `now` falls inside them."""
    pref = NoticePreference.objects.get(member=member)
    local = now.astimezone(KST)
    start, end = pref.quiet_start, pref.quiet_end
    t = local.time()
    quiet = (start <= t or t < end) if start > end else (start <= t < end)
    if not quiet:
        return now
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=KST)


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

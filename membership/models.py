"""The base layer: people, the offices they work at, and the audit trail of who did what."""
import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Office(models.Model):
    """A place that serves people: a community center (행정복지센터), a partner institution, a ministry."""

    class Kind(models.TextChoices):
        COMMUNITY_CENTER = "community_center", _("Community center")
        PARTNER = "partner", _("Partner welfare institution")
        MINISTRY = "ministry", _("Ministry or local government")

    code = models.CharField(_("office code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMUNITY_CENTER)
    sido = models.CharField(_("province or city (시·도)"), max_length=30)
    sigungu = models.CharField(_("district (시·군·구)"), max_length=30, blank=True)
    eupmyeondong = models.CharField(_("neighbourhood (읍·면·동)"), max_length=30, blank=True)

    class Meta:
        ordering = ["sido", "sigungu", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: a citizen, or a staff member with one office and one role."""

    class Role(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        CASEWORKER = "caseworker", _("Community-center caseworker")
        PARTNER_WORKER = "partner_worker", _("Partner-institution worker")
        SUPERVISOR = "supervisor", _("Supervisor")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    preferred_language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default="ko"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="staff_role_has_office",
                condition=models.Q(role__in=["citizen", "admin"]) | models.Q(office__isnull=False),
            ),
        ]

    @property
    def is_staff_member(self) -> bool:
        return self.role != self.Role.CITIZEN


class AuditEvent(models.Model):
    """One append-only row per write (and per staff access to personal data): who, when, what."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


# ---- The membership: enrolment, consent, the household record, notices, the staff access log --------


class Membership(models.Model):
    """One member's enrolment: how and where they joined, and (if staff verified it) their encrypted RRN."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        WALK_IN = "walk_in", _("At an office (walk-in)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        LEFT = "left", _("Left the membership")

    member = models.OneToOneField(User, on_delete=models.PROTECT, related_name="membership")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    enrolled_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    enrolled_office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The office of the member's registered address: its staff may open the record without a counter reason.
    home_office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    # AES-256-GCM nonce + ciphertext + tag (membership/crypto.py); never the plaintext.
    rrn_encrypted = models.BinaryField(null=True, blank=True, editable=False)
    rrn_birth_part = models.CharField(max_length=6, blank=True, editable=False)  # YYMMDD, for the mask only
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"membership of user #{self.member_id}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def rrn_masked(self) -> str:
        """YYMMDD-******* or empty: the only form in which an RRN is ever shown."""
        return f"{self.rrn_birth_part}-*******" if self.rrn_birth_part else ""


class Consent(models.Model):
    """One consent item given once: versioned, with time, channel and (for staff) evidence; withdrawable."""

    class Item(models.TextChoices):
        TERMS = "terms", _("Membership terms")
        INCOME_ASSETS = "income_assets", _("Use of income and asset data")
        NOTICE_EMAIL = "notice_email", _("Notices by e-mail")
        NOTICE_SMS = "notice_sms", _("Notices by text message (SMS)")

    class Channel(models.TextChoices):
        SELF = "self", _("By the member, online")
        STAFF = "staff", _("Recorded by staff at an office")

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    item = models.CharField(_("item"), max_length=20, choices=Item.choices)
    version = models.CharField(_("version"), max_length=20)
    text_sha256 = models.CharField(max_length=64)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence = models.CharField(_("consent evidence"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["item", "-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "item"], condition=models.Q(withdrawn_at__isnull=True), name="one_live_consent_per_item"
            ),
            models.CheckConstraint(
                name="staff_consent_has_evidence",
                condition=~models.Q(channel="staff") | (models.Q(recorded_by__isnull=False) & ~models.Q(evidence="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} v{self.version} of user #{self.member_id}"


class Tenure(models.TextChoices):
    RENT = "rent", _("Monthly rent (월세)")
    JEONSE = "jeonse", _("Lump-sum deposit (전세)")
    OWN = "own", _("Own home")
    FREE = "free", _("Rent-free")


class Household(models.Model):
    """The member's household in the columns of docs/household-format.md; every change leaves a revision."""

    member = models.OneToOneField(User, on_delete=models.CASCADE, related_name="household")
    sido = models.CharField(_("province or city (시·도)"), max_length=30)
    sigungu = models.CharField(_("district (시·군·구)"), max_length=30, blank=True)
    tenure = models.CharField(_("housing"), max_length=10, choices=Tenure.choices)
    monthly_rent = models.PositiveBigIntegerField(_("monthly rent (won)"), default=0)
    asset_housing = models.PositiveBigIntegerField(_("home value or deposit (won)"), default=0)
    asset_general = models.PositiveBigIntegerField(_("other property (won)"), default=0)
    asset_financial = models.PositiveBigIntegerField(_("savings and investments (won)"), default=0)
    asset_car_value = models.PositiveBigIntegerField(_("car value (won)"), default=0)
    asset_car_cc = models.PositiveIntegerField(_("car engine size (cc)"), default=0)
    asset_debt = models.PositiveBigIntegerField(_("debt (won)"), default=0)
    nbls_recipient = models.BooleanField(_("receives basic livelihood security"), default=False)
    near_poor = models.BooleanField(_("near-poor (차상위)"), default=False)
    single_parent = models.BooleanField(_("single-parent family"), default=False)
    crisis_event = models.BooleanField(_("sudden crisis (job loss, illness, disaster)"), null=True, blank=True)
    job_seeker = models.BooleanField(_("looking for work"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"household of user #{self.member_id}"


class HouseholdMember(models.Model):
    class Relation(models.TextChoices):
        SELF = "self", _("Self")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDPARENT = "grandparent", _("Grandparent")
        GRANDCHILD = "grandchild", _("Grandchild")
        SIBLING = "sibling", _("Brother or sister")
        OTHER = "other", _("Other")

    class Disability(models.TextChoices):
        NONE = "none", _("None")
        MILD = "mild", _("Mild")
        SEVERE = "severe", _("Severe")

    class School(models.TextChoices):
        NONE = "none", _("Not in school")
        ELEMENTARY = "elementary", _("Elementary school")
        MIDDLE = "middle", _("Middle school")
        HIGH = "high", _("High school")
        UNIVERSITY = "university", _("University")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    position = models.PositiveSmallIntegerField(default=0)
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    birth_date = models.DateField(_("date of birth"))
    disability = models.CharField(_("disability"), max_length=10, choices=Disability.choices, default="none")
    pregnant = models.BooleanField(_("pregnant"), default=False)
    school = models.CharField(_("school"), max_length=12, choices=School.choices, default="none")
    income_earned = models.PositiveBigIntegerField(_("wages a month (won)"), default=0)
    income_business = models.PositiveBigIntegerField(_("business income a month (won)"), default=0)
    income_property = models.PositiveBigIntegerField(_("rent or interest a month (won)"), default=0)
    income_public_transfer = models.PositiveBigIntegerField(_("public benefits a month (won)"), default=0)
    income_private_transfer = models.PositiveBigIntegerField(_("support from family a month (won)"), default=0)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.relation} of household #{self.household_id}"


class HouseholdRevision(models.Model):
    """The household document as it was after one change: the history, append-only."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    document = models.JSONField()
    changed_fields = models.JSONField(default=list)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("household revision")
        verbose_name_plural = _("household revisions")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["household", "version"], name="one_revision_per_version")]

    def __str__(self) -> str:
        return f"household #{self.household_id} v{self.version}"


class Notice(models.Model):
    """One message in a member's inbox; a benefit notice is unique per member, benefit and rule version."""

    class Kind(models.TextChoices):
        BENEFIT = "benefit", _("New benefit")
        ACCOUNT = "account", _("Your membership")

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    benefit_code = models.CharField(max_length=60, blank=True)
    rule_code = models.CharField(max_length=80, blank=True)
    rule_version = models.PositiveIntegerField(default=0)
    title_ko = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    body_ko = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = [models.F("read_at").asc(nulls_first=True), "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "benefit_code", "rule_code", "rule_version"],
                condition=models.Q(kind="benefit"), name="one_notice_per_benefit_rule_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en


class NoticeDelivery(models.Model):
    """A notice sent (or held) on one outside channel; in-app needs no row.

    pending -> sending (claimed by one worker: claimed_at, attempts + 1) -> sent | failed | cancelled.
    A transient failure puts it back to pending with a later send_after, until the attempts run out;
    a sending row whose worker died is swept back to pending (membership.services.notice_deliver).
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notice"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    send_after = models.DateTimeField(_("due at"))
    # When a task for this row was last put on the broker; null: never (held for quiet hours).
    enqueued_at = models.DateTimeField(_("enqueued at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_ref = models.CharField(_("provider reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        constraints = [models.UniqueConstraint(fields=["notice", "channel"], name="one_delivery_per_channel")]
        # Partial indexes for the sweep: only the few rows waiting or in flight, not the millions sent.
        indexes = [
            models.Index(fields=["send_after"], condition=models.Q(status="pending"), name="delivery_pending_due"),
            models.Index(fields=["claimed_at"], condition=models.Q(status="sending"), name="delivery_sending_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} of notice #{self.notice_id}"

    @property
    def idempotency_key(self) -> str:
        """The key the provider dedupes on: the same for every attempt at this delivery."""
        return f"notice-delivery-{self.pk}"


class NoticePreference(models.Model):
    """How a member wants to be told; e-mail and SMS also need their consent item."""

    member = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notice_preference")
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    language = models.CharField(_("language of notices"), max_length=2, choices=settings.LANGUAGES, default="ko")
    quiet_start = models.TimeField(_("no SMS from"), default=datetime.time(21))
    quiet_end = models.TimeField(_("no SMS until"), default=datetime.time(8))

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self) -> str:
        return f"notice preference of user #{self.member_id}"


class AccessLog(models.Model):
    """PIPA 접속기록: one append-only row per staff view or change of a member's personal data.

    Kept at least two years (개인정보의 안전성 확보조치 기준 제8조); no delete anywhere in the code.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CHANGE = "change", _("Changed")
        COUNTER = "counter", _("Began serving at the counter")
        ENROL = "enrol", _("Enrolled")

    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(User, on_delete=models.PROTECT, related_name="accessed_by")
    office = models.ForeignKey(Office, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    what = models.CharField(_("what"), max_length=100)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject", "at"]), models.Index(fields=["staff", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.what}"

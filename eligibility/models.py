"""Benefits, their rules and conditions, dated parameters and rule test cases: rules are rows, never code.

Only published rows feed the engine (eligibility/selectors.py turns them into engine dataclasses).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eligibility.engine.catalogue import FACTS, OPERATORS, OUTCOMES, QUANTIFIERS


class Verification(models.TextChoices):
    """How well a figure is sourced (shared/domain marks ✅ 🟡 ❓ 🧮)."""

    VERIFIED = "verified", _("Verified (official source)")
    SECONDARY = "secondary", _("Secondary sources only")
    UNVERIFIED = "unverified", _("Unverified: check before relying on it")
    COMPUTED = "computed", _("Computed from a sourced figure")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class TaxonomyTag(models.Model):
    """A 복지로 search code: life stage (lifeArray), household situation or theme."""

    class Kind(models.TextChoices):
        LIFE_STAGE = "life_stage", _("Life stage")
        SITUATION = "situation", _("Household situation")
        THEME = "theme", _("Theme")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    code = models.CharField(max_length=3)
    label_ko = models.CharField(max_length=40)
    label_en = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("taxonomy tag")
        verbose_name_plural = _("taxonomy tags")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="taxonomy_kind_code_unique")]

    def __str__(self) -> str:
        return f"{self.label_ko} ({self.code})"


class Benefit(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", _("a month")
        YEAR = "year", _("a year")
        ONCE = "once", _("once")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150)
    summary_ko = models.TextField(_("what you get (Korean)"), blank=True)
    summary_en = models.TextField(_("what you get (English)"), blank=True)
    ministry = models.CharField(_("ministry"), max_length=100, blank=True)
    tags = models.ManyToManyField(TaxonomyTag, blank=True, related_name="benefits")
    keywords_ko = models.TextField(_("search keywords (Korean)"), blank=True)
    keywords_en = models.TextField(_("search keywords (English)"), blank=True)
    how_to_apply_ko = models.TextField(_("how to apply (Korean)"), blank=True)
    how_to_apply_en = models.TextField(_("how to apply (English)"), blank=True)
    documents_ko = models.JSONField(_("documents (Korean)"), default=list, blank=True)
    documents_en = models.JSONField(_("documents (English)"), default=list, blank=True)
    online_application = models.BooleanField(_("can apply online"), default=False)
    legal_reference = models.CharField(_("legal basis"), max_length=200, blank=True)
    verification = models.CharField(max_length=10, choices=Verification.choices, default=Verification.UNVERIFIED)
    sources = models.JSONField(default=list, blank=True)
    amount_formula = models.CharField(_("amount formula"), max_length=40, blank=True)
    amount_params = models.JSONField(_("amount parameters (role: name)"), default=dict, blank=True)
    amount_period = models.CharField(max_length=5, choices=Period.choices, default=Period.MONTH)
    verified_on = models.DateField(_("figures last verified"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Names, summaries and keywords without spaces, lower-cased (eligibility/search.py), for search.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_ko} ({self.code})"


class Rule(models.Model):
    """One way to qualify for a benefit: its conditions all hold. Versions are kept as rows."""

    class Outcome(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")
        LIKELY = "likely", _("Likely (an official check remains)")

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(_("code"), max_length=80)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    label_ko = models.CharField(max_length=200, blank=True)
    label_en = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.LIKELY)
    note_ko = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until (inclusive)"), null=True, blank=True)
    legal_reference = models.CharField(_("legal reference"), max_length=300)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["benefit__code", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rule_code_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(status="published"), name="one_published_version_per_rule"
            ),
            models.CheckConstraint(
                name="rule_valid_to_after_from",
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} ({self.get_status_display()})"


def _choices(table) -> list[tuple[str, str]]:
    return [(name, name) for name in table]


class Condition(models.Model):
    """`fact operator value|parameter`, checked against the engine's catalogues in clean()."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="conditions")
    position = models.PositiveSmallIntegerField(default=0)
    fact = models.CharField(max_length=40, choices=[(f.name, f"{f.label_ko} · {f.name}") for f in FACTS.values()])
    operator = models.CharField(max_length=10, choices=_choices(OPERATORS))
    value = models.CharField(_("value"), max_length=200, blank=True, help_text=_("a number, true/false, a "
                             "code, [low, high] for between, or a comma-separated list for in/not_in"))
    parameter = models.CharField(_("parameter"), max_length=60, blank=True)
    basis = models.CharField(max_length=12, blank=True, choices=[("median_pct", _("% of the median income"))])
    quantifier = models.CharField(max_length=16, blank=True, choices=_choices(QUANTIFIERS))
    group = models.CharField(max_length=20, blank=True)
    min_count = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["rule", "position", "id"]

    def __str__(self) -> str:
        target = self.parameter or self.value
        return f"{self.fact} {self.operator} {target}".strip()

    def clean(self) -> None:
        from .validation import condition_errors  # keeps models free of the engine's messages

        condition_errors(self)


class Parameter(models.Model):
    name = models.SlugField(max_length=60, unique=True)
    label_ko = models.CharField(max_length=100, blank=True)
    label_en = models.CharField(max_length=150, blank=True)
    unit = models.CharField(max_length=12)
    key_fact = models.CharField(max_length=40, blank=True, choices=_choices(FACTS))
    extend = models.CharField(max_length=16, blank=True, choices=[("last_difference", "last_difference"),
                                                                  ("last_value", "last_value")])

    class Meta:
        verbose_name = _("yearly parameter")
        verbose_name_plural = _("yearly parameters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ParameterValue(models.Model):
    """The value of a parameter over a period, with its legal reference and how well it is sourced."""

    parameter = models.ForeignKey(Parameter, on_delete=models.CASCADE, related_name="values")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    value = models.JSONField(help_text=_("a number, or an object keyed by the key fact's values"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    legal_reference = models.CharField(max_length=300)
    verification = models.CharField(max_length=10, choices=Verification.choices, default=Verification.UNVERIFIED)
    source = models.TextField(blank=True)

    class Meta:
        verbose_name = _("parameter value")
        verbose_name_plural = _("parameter values")
        ordering = ["parameter", "valid_from"]
        constraints = [
            models.CheckConstraint(
                name="param_valid_to_after_from",
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parameter.name} {self.valid_from}"


class RuleTestCase(models.Model):
    """A household and what the benefit must say for it; publishing refuses when one fails."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="test_cases")
    name = models.CharField(max_length=200)
    as_of = models.DateField()
    household = models.JSONField(help_text=_("the household in the format of docs/household-format.md"))
    expected_outcome = models.CharField(max_length=12, choices=_choices(OUTCOMES))
    expected_amount = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("rule test case")
        verbose_name_plural = _("rule test cases")
        ordering = ["benefit", "name"]

    def __str__(self) -> str:
        return self.name


class ScreeningDraft(models.Model):
    """A citizen's answers while screening without an account, found again by its token or code.

    `answers` has the shape of docs/household-format.md (incomes monthly, whole won), filled step by
    step; nothing personal ever goes in a URL: the token is random and says nothing about the person.
    """

    token = models.CharField(max_length=64, unique=True)
    code = models.CharField(max_length=8, unique=True, help_text=_("short code to read out at a counter"))
    answers = models.JSONField(default=dict, blank=True)
    steps_done = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("screening draft")
        verbose_name_plural = _("screening drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.code


class MemberBenefitResult(models.Model):
    """A member's latest screening result for one benefit (re-screened on every household change).

    Tied to the household: when a member leaves and the household is deleted, the results go too.
    """

    household = models.ForeignKey("membership.Household", on_delete=models.CASCADE, related_name="benefit_results")
    benefit_code = models.CharField(max_length=60)
    outcome = models.CharField(max_length=20)
    amount_krw = models.BigIntegerField(null=True, blank=True)
    amount_period = models.CharField(max_length=10, blank=True)
    rule_code = models.CharField(max_length=80, blank=True)
    rule_version = models.PositiveIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    declared_only = models.BooleanField(default=False, help_text=_("screened without consent to income/asset data"))
    screened_at = models.DateTimeField()

    class Meta:
        verbose_name = _("member's result")
        verbose_name_plural = _("members' results")
        ordering = ["benefit_code"]
        constraints = [
            models.UniqueConstraint(fields=["household", "benefit_code"], name="one_result_per_member_benefit"),
        ]

    def __str__(self) -> str:
        return f"{self.benefit_code}: {self.outcome}"


# ---- National re-screening (issue 6): runs split into member-id-range chunks ----------------------


class RescreenRun(models.Model):
    """One re-screening of the membership (or part of it), split into chunks any worker can take."""

    class Trigger(models.TextChoices):
        HOUSEHOLD = "household", _("A household changed")
        PUBLISH = "publish", _("A rule or parameter was published")
        NIGHTLY = "nightly", _("Nightly full re-screening")
        LIFECYCLE = "lifecycle", _("Life-cycle dates")
        MANUAL = "manual", _("Started by hand")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    as_of = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    # "nightly:2026-11-24": two beat processes asking for the same night make one run.
    run_key = models.CharField(max_length=60, null=True, blank=True, unique=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    chunks_failed = models.PositiveIntegerField(default=0)
    members_screened = models.PositiveBigIntegerField(default=0)
    results_written = models.PositiveBigIntegerField(default=0)
    notices_created = models.PositiveBigIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("re-screening run")
        verbose_name_plural = _("re-screening runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.trigger} re-screening for {self.as_of} ({self.chunks_done}/{self.chunks_total})"


class RescreenChunk(models.Model):
    """Members with lo_member_id <= member id < hi_member_id; claimed pending -> running by one worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    run = models.ForeignKey(RescreenRun, on_delete=models.CASCADE, related_name="chunks")
    lo_member_id = models.BigIntegerField()
    hi_member_id = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    results_written = models.PositiveIntegerField(default=0)
    notices_created = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("re-screening chunk")
        verbose_name_plural = _("re-screening chunks")
        ordering = ["run", "lo_member_id"]
        constraints = [models.UniqueConstraint(fields=["run", "lo_member_id"], name="one_chunk_per_run_range")]

    def __str__(self) -> str:
        return f"members [{self.lo_member_id}, {self.hi_member_id}) of run #{self.run_id}"


class RescreenState(models.Model):
    """What the national re-screening keeps per household: the household as it reads it, and a digest
    of the results it stored.

    The image: the household's engine columns packed as big-endian int64 (rescreen_io.HEAD once,
    rescreen_io.MEMBER a member) at household version `image_version`. An image of another version is
    ignored and rewritten by the next chunk read (eligibility/rescreen_io.py), so a change made by any
    path is never screened from a stale image. Reading one bytea a household, merge-joined by member id,
    instead of joining and recoding a dozen columns a member is what makes the nightly run fit in
    seconds (docs/benchmarks.md, "National re-screening").

    The digest: one 64-bit hash of the household's stored results. A household whose new digest and
    household version match is unchanged: its stored results are not read. Any mismatch (or no digest:
    screened by the per-member path) compares in detail.
    """

    household = models.OneToOneField("membership.Household", on_delete=models.CASCADE, primary_key=True,
                                     related_name="rescreen_state")
    member_id = models.BigIntegerField(null=True, db_index=True)  # the household's member: chunks are member ranges
    image_version = models.PositiveIntegerField(null=True)
    head = models.BinaryField(null=True)
    members = models.BinaryField(null=True)
    digest = models.BigIntegerField(null=True)
    household_version = models.PositiveIntegerField(null=True)
    screened_on = models.DateField(null=True)

    class Meta:
        verbose_name = _("re-screening state")
        verbose_name_plural = _("re-screening states")

    def __str__(self) -> str:
        return f"re-screening state of household #{self.household_id}"

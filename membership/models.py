"""The base layer: people, the offices they work at, and the audit trail of who did what."""
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
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

"""Writes of the membership layer. Every write names its actor and leaves an audit row."""
from django.db import transaction

from .models import AuditEvent, Office, User


def audit_record(*, actor: User | None, action: str, target, details: dict | None = None) -> AuditEvent:
    """Append one audit row for `action` on `target` by `actor` (None for the system)."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
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

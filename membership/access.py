"""Who may open a member's record, and the 접속기록 row every staff access leaves.

A member opens only their own record; staff open members of their office, or a member they serve
at the counter after recording why; everyone else gets 404 (citizens) or 403 (staff), and nothing
is written for a refused request.
"""
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from . import selectors, services
from .models import AccessLog, Membership, User


def member_for_request(request: HttpRequest, member_id: int, *, what: str) -> User:
    """Return the member `request.user` may open, logging the access when staff open it."""
    member = User.objects.filter(pk=member_id, membership__status=Membership.Status.ACTIVE).first()
    user = request.user
    if member is not None and member.pk == user.pk:
        return member
    if member is None or user.role == User.Role.CITIZEN:
        raise Http404
    if not selectors.staff_may_open(staff=user, member=member):
        raise PermissionDenied
    action = AccessLog.Action.VIEW if request.method in ("GET", "HEAD") else AccessLog.Action.CHANGE
    services.access_log_record(staff=user, subject=member, action=action, what=what, ip_address=client_ip(request))
    return member


def client_ip(request: HttpRequest) -> str | None:
    """The peer address (the proxy sets REMOTE_ADDR from X-Forwarded-For in production)."""
    return request.META.get("REMOTE_ADDR") or None


def staff_required(user: User) -> None:
    if not user.is_authenticated or user.role == User.Role.CITIZEN:
        raise PermissionDenied


def supervisor_required(user: User) -> None:
    if not user.is_authenticated or user.role not in (User.Role.SUPERVISOR, User.Role.ADMIN):
        raise PermissionDenied

"""The session-expiry warning's timing, from settings."""
from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_warning_seconds() -> int:
    return settings.SESSION_WARNING_SECONDS


@register.simple_tag
def session_warning_minutes() -> int:
    return max(settings.SESSION_WARNING_SECONDS // 60, 1)

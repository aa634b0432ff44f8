"""Thin Celery tasks of the eligibility layer: ids in, call a service."""
from celery import shared_task

from . import services


@shared_task
def screening_drafts_delete_expired() -> int:
    """Delete abandoned screening drafts (idempotent: a second run finds none)."""
    return services.screening_drafts_delete_expired()

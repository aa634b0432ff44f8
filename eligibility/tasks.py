"""Thin Celery tasks of the eligibility layer: ids in, call a service."""
from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import rescreen, services


@shared_task
def screening_drafts_delete_expired() -> int:
    """Delete abandoned screening drafts (idempotent: a second run finds none)."""
    return services.screening_drafts_delete_expired()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def rescreen_chunk(chunk_id: int) -> int:
    """Re-screen one chunk of members (idempotent: the chunk is claimed by a conditional UPDATE)."""
    report = rescreen.rescreen_chunk_process(chunk_id=chunk_id)
    return report.members if report else 0


@shared_task
def rescreen_nightly() -> int:
    """Start tonight's full re-screening (beat, 02:00 KST); a second beat makes no second run."""
    today = timezone.localdate()
    run = rescreen.rescreen_run_start(trigger="nightly", as_of=today, acting_user=None,
                                      run_key=f"nightly:{today.isoformat()}")
    return run.pk


@shared_task
def rescreen_life_events() -> int:
    """Re-screen members whose child turns 1 or 2, who turn 35 today or 65 next month (beat, 01:00 KST)."""
    return rescreen.rescreen_life_events(today=timezone.localdate())


@shared_task
def rescreen_chunks_redrive() -> int:
    """Re-enqueue chunks left behind by a failure, a dead worker or a lost message (beat: every 10 minutes)."""
    return len(rescreen.rescreen_chunks_redrive())

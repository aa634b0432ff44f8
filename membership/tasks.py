"""Thin tasks: ids in, a service does the work."""
from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notice_deliver(delivery_id: int) -> bool:
    return services.notice_deliver(delivery_id=delivery_id)


@shared_task
def notice_deliveries_sweep() -> int:
    """Send deliveries held for quiet hours once they are due (beat: every 10 minutes)."""
    ids = services.notice_deliveries_due()
    for delivery_id in ids:
        notice_deliver.delay(delivery_id)
    return len(ids)

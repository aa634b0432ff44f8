"""Thin tasks: ids in, a service does the work. No personal data goes through the broker."""
from celery import shared_task

from . import services


@shared_task(acks_late=True)
def notice_deliver(delivery_id: int) -> None:
    """Send one delivery. After a transient failure the row is due again after its backoff: come back
    then. The row bounds the attempts; if this message is lost, the sweep enqueues the row again."""
    retry_in = services.notice_deliver(delivery_id=delivery_id)
    if retry_in is not None:
        notice_deliver.apply_async((delivery_id,), countdown=retry_in)


@shared_task
def notice_deliveries_sweep() -> int:
    """Beat, every minute: put back deliveries a dead worker left `sending`, enqueue the due ones."""
    return services.notice_deliveries_sweep()

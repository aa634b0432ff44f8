"""SMS gateways: one class per provider, picked by the SMS_GATEWAY setting. Tests replace it with a fake."""
import logging
import uuid

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleGateway:
    """Development: log the message instead of sending it; returns a made-up provider reference."""

    def send(self, *, phone: str, text: str) -> str:
        masked = phone[:-4] + "****" if len(phone) > 4 else "****"
        logger.info("SMS to %s: %s", masked, text)
        return f"console-{uuid.uuid4()}"


def sms_gateway():
    """Return an instance of the configured gateway."""
    return import_string(settings.SMS_GATEWAY)()

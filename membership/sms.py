"""SMS gateways: one class per provider, picked by the SMS_GATEWAY setting. Tests replace it with a fake.

A gateway has `send(*, phone, text, idempotency_key) -> str` (the provider's reference) and raises
TransientSendError (worth trying again later) or PermanentSendError (trying again cannot help).
"""
import json
import logging
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SendError(Exception):
    """A channel did not take the message; the message is short and holds no personal data."""


class TransientSendError(SendError):
    """The provider is down, slow or busy: the same message may go through later."""


class PermanentSendError(SendError):
    """The provider refused this message (bad number, refused recipient): retrying cannot help."""


class ConsoleGateway:
    """Development: log the message instead of sending it; returns a made-up provider reference."""

    def send(self, *, phone: str, text: str, idempotency_key: str) -> str:
        masked = phone[:-4] + "****" if len(phone) > 4 else "****"
        logger.info("SMS to %s (%s): %s", masked, idempotency_key, text)
        return f"console-{uuid.uuid4()}"


class HttpGateway:
    """A provider's JSON API: POST {to, text, idempotency_key} to SMS_GATEWAY_URL; its reply's "id" is the
    reference. The provider keeps the key (real ones call it a client message key or reference) and
    answers a repeated key with the first message's reply instead of sending again: that is what makes
    a re-send after a crash between "accepted" and "marked sent" harmless."""

    TRANSIENT_STATUSES = {408, 425, 429}  # timed out, too early, too many requests; and every 5xx

    def __init__(self, url: str | None = None, timeout: float | None = None):
        self.url = url or settings.SMS_GATEWAY_URL
        self.timeout = timeout or settings.SMS_GATEWAY_TIMEOUT
        if not self.url.startswith(("https://", "http://")):
            raise ValueError("SMS_GATEWAY_URL must be an http(s) URL")

    def send(self, *, phone: str, text: str, idempotency_key: str) -> str:
        body = json.dumps({"to": phone, "text": text, "idempotency_key": idempotency_key}).encode()
        # S310: the URL is the operator's setting, checked to be http(s) above; never anything a user typed.
        request = urllib.request.Request(self.url, data=body, method="POST", headers={  # noqa: S310
            "Content-Type": "application/json", "Idempotency-Key": idempotency_key})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return _reference(response.read())
        except urllib.error.HTTPError as error:
            if error.code >= 500 or error.code in self.TRANSIENT_STATUSES:
                raise TransientSendError(f"gateway answered HTTP {error.code}") from error
            raise PermanentSendError(f"gateway refused: HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise TransientSendError(f"gateway unreachable: {type(error).__name__}") from error


def _reference(reply: bytes) -> str:
    """The provider's message id; a 2xx without one still means the message was taken."""
    try:
        return str(json.loads(reply).get("id", ""))[:100]
    except (ValueError, AttributeError):
        return ""


def sms_gateway():
    """Return an instance of the configured gateway."""
    return import_string(settings.SMS_GATEWAY)()

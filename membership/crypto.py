"""Resident registration numbers: validated, AES-256-GCM encrypted, and only ever shown masked.

The key is base64 of 32 bytes in the RRN_ENCRYPTION_KEY environment variable (never in the
database). Each value gets a fresh 12-byte nonce, so two equal numbers encrypt differently; the
GCM tag makes any tampering a decryption error. The member's id is bound as associated data, so a
ciphertext copied to another member's row does not decrypt.
"""
import base64
import os
import re

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _

RRN_PATTERN = re.compile(r"^(\d{6})-?([1-8]\d{6})$")
NONCE_BYTES = 12


def _aesgcm() -> AESGCM:
    try:
        key = base64.b64decode(settings.RRN_ENCRYPTION_KEY, validate=True)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured("RRN_ENCRYPTION_KEY must be base64 of 32 bytes")
    return AESGCM(key)


def rrn_normalise(value: str) -> str:
    """Return the 13 digits of a well-formed RRN (with or without the hyphen), or raise ValidationError."""
    match = RRN_PATTERN.match(value.strip())
    if not match:
        raise ValidationError(_("Enter a resident registration number as YYMMDD-NNNNNNN."), code="rrn")
    return match.group(1) + match.group(2)


def rrn_encrypt(digits: str, *, member_id: int) -> bytes:
    """Return nonce + ciphertext + tag for the 13 digits, bound to the member's id."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _aesgcm().encrypt(nonce, digits.encode(), str(member_id).encode())


def rrn_decrypt(blob: bytes, *, member_id: int) -> str:
    """Return the 13 digits; raise cryptography's InvalidTag if the blob or its member was altered."""
    blob = bytes(blob)
    return _aesgcm().decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], str(member_id).encode()).decode()


def rrn_mask(digits: str) -> str:
    """YYMMDD-*******: the one masked form used on every screen (ISMS-P 3.2.3)."""
    return f"{digits[:6]}-*******"

"""Whole pages kept in this worker's cache for signed-out readers, rendered once per key with
stand-ins for what changes on every response (the CSRF token, the CSP nonce), filled in on the way out.

A page may be kept only when the key names everything it shows: the caller's key (for a screening:
the draft's token and version, the catalogue version, the date) plus the absolute URL (scheme, host,
path and query: the resume link and the language switch print them) and the language.
"""
import hashlib
import hmac

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

TIMEOUT = 3600
# Derived from the secret key: no one can type them into an answer, and every process of a deployment
# agrees on them, so a page kept in a shared cache by one worker is filled in correctly by another.
_SEED = hmac.new(settings.SECRET_KEY.encode(), b"page-cache stand-ins", hashlib.sha256).hexdigest()
CSRF_STAND_IN = f"csrf{_SEED[:32]}"
NONCE_STAND_IN = f"nonce{_SEED[32:]}"


def cacheable(request: HttpRequest) -> bool:
    """Whether the page is the same for every reader of the URL: signed out, no message waiting."""
    return not request.user.is_authenticated and not len(get_messages(request))  # len() does not consume them


def _full_key(request: HttpRequest, key: str) -> str:
    text = f"{key}|{get_language()}|{request.build_absolute_uri()}"
    return "page:" + hashlib.sha256(text.encode()).hexdigest()


def get(request: HttpRequest, key: str) -> HttpResponse | None:
    """Return the kept page for this key and URL with this response's token and nonce, or None."""
    body = cache.get(_full_key(request, key))
    return None if body is None else _respond(request, body)


def render(request: HttpRequest, key: str, template: str, context: dict) -> HttpResponse:
    """Render the page with stand-ins, keep it under the key, and answer with this response's values."""
    body = render_to_string(template, {**context, "csrf_token": CSRF_STAND_IN, "CSP_NONCE": NONCE_STAND_IN},
                            request)
    cache.set(_full_key(request, key), body, TIMEOUT)
    return _respond(request, body)


def _respond(request: HttpRequest, body: str) -> HttpResponse:
    body = body.replace(CSRF_STAND_IN, get_token(request))
    if NONCE_STAND_IN in body:  # only pages with a script ask for a nonce (and so send it in the header)
        body = body.replace(NONCE_STAND_IN, str(request.csp_nonce))
    return HttpResponse(body)

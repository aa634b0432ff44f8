"""Production: secrets have no defaults, HTTPS everywhere, hardened cookies and headers."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, SMS_GATEWAY, SMS_GATEWAY_URL, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
RRN_ENCRYPTION_KEY = env("RRN_ENCRYPTION_KEY")  # no default: refuse to start without the key
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if SMS_GATEWAY.endswith(".HttpGateway") and not SMS_GATEWAY_URL.startswith("https://"):
    # Without it every SMS would fail at send time; plain HTTP would carry phone numbers in the clear.
    raise ImproperlyConfigured("SMS_GATEWAY_URL must be the provider's https:// address for HttpGateway")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check speaks plain HTTP
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
# A hung mail server fails the attempt (transient: retried with backoff) long before the task's 300 s limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

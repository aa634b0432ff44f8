"""The test suite: imports with no environment set; uses DATABASE_URL/REDIS_URL when CI exports them."""
from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-not-secret-3mZb8Lq1")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast: tests create many users
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic needed here
WHITENOISE_USE_FINDERS = True
RRN_ENCRYPTION_KEY = env("RRN_ENCRYPTION_KEY", default="dGVzdC1vbmx5LXJybi1rZXktMzItYnl0ZXMtbG9uZyE=")  # 32 bytes, tests only
SMS_GATEWAY = "membership.sms.ConsoleGateway"

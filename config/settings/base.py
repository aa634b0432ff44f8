"""Settings shared by every environment; the environment is read only through django-environ."""
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Database: SQLite on a laptop, PostgreSQL (psycopg 3) when DATABASE_URL says so.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",  # lockout after repeated failed sign-ins (PIPA 안전성 확보조치 기준 제5조⑥)
    # Ours, in import order: a higher app may import a lower one, never the reverse.
    "membership",
    "eligibility",
    "applications",
    "caseload",
]
AUTH_USER_MODEL = "membership.User"
LOGIN_URL = "membership:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username before checking the password
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username after 5 failures for 30 minutes. Keyed by username and IP together, so an attacker
# elsewhere cannot lock a victim out of their own device (ASVS 6.3.1).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "membership/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it answers locked-out sign-ins
]
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Passwords and sessions
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 30 * 60  # PIPA 안전성 확보조치 기준 제6조④: cut off idle sessions
SESSION_SAVE_EVERY_REQUEST = True
SESSION_WARNING_SECONDS = 2 * 60  # the page warns this long before expiry and offers to extend
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Language: Korean first, English too
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static files: Bootstrap comes from the XStatic package, never from a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security headers (production hardens further)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Celery: a real broker when REDIS_URL is set; otherwise tasks run in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# soft < hard < visibility timeout: a task is stopped before Redis would hand it to another worker.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Exactly one beat sends: config.beat.SingleBeatScheduler sends due tasks only while it holds a Redis lock,
# renewed on every tick (ticks come at least three times per TTL). A second beat process stands by and
# takes over when the holder stops (it releases the lock) or dies (the lock expires after the TTL);
# docs/operations.md. With no Redis it is Celery's default scheduler.
CELERY_BEAT_SCHEDULER = "config.beat:SingleBeatScheduler"
CELERY_BEAT_LOCK_KEY = "welfare-portal:beat-lock"
CELERY_BEAT_LOCK_TTL = 30  # seconds: a dead beat is replaced within about 40 s
# Beat schedules live in code; each entry says what it runs and when.
CELERY_BEAT_SCHEDULE: dict = {
    # Every hour: delete screening drafts (answers given without an account) 7 days after their last
    # answer, so abandoned personal data is not kept (eligibility.services.screening_drafts_delete_expired).
    "screening-drafts-delete-expired": {
        "task": "eligibility.tasks.screening_drafts_delete_expired",
        "schedule": 60 * 60,
    },
    # Every night at 02:00 KST (RESCREEN_NIGHTLY_CRON, a cron expression in CELERY_TIMEZONE): re-screen
    # every consenting member against the rules in force (eligibility.rescreen). Idempotent: the run's
    # unique key "nightly:<date>" makes a repeated tick, or a beat taking over, return the same run.
    "rescreen-nightly": {
        "task": "eligibility.tasks.rescreen_nightly",
        "schedule": crontab.from_string(env("RESCREEN_NIGHTLY_CRON", default="0 2 * * *")),
    },
    # Every day at 01:00 KST: re-screen members whose child turns 1 or 2 or who turn 35 today, and
    # those turning 65 a month from today, as of that birthday (eligibility.rescreen.rescreen_life_events).
    "rescreen-life-events": {
        "task": "eligibility.tasks.rescreen_life_events",
        "schedule": crontab(hour=1, minute=0),
    },
    # Every 10 minutes: re-enqueue re-screening chunks given back after a failure, abandoned by a dead
    # worker or never claimed because Redis lost the message (eligibility.rescreen.rescreen_chunks_redrive).
    "rescreen-chunks-redrive": {
        "task": "eligibility.tasks.rescreen_chunks_redrive",
        "schedule": 10 * 60,
    },
    # Every minute: put back to pending the deliveries whose worker died while sending them (claimed more
    # than NOTICE_DELIVERY_STALE_SECONDS ago), then enqueue the due pending ones: SMS held for the end of
    # quiet hours (21:00-08:00 KST), and those whose task Redis lost (membership.services.notice_deliveries_sweep).
    "notice-deliveries-sweep": {
        "task": "membership.tasks.notice_deliveries_sweep",
        "schedule": 60,
    },
}

# --- Membership: resident registration numbers are AES-256-GCM encrypted with a key that lives only in
# the environment (개인정보보호법 제24조의2). Base64 of 32 bytes; test.py has a throwaway default.
# With DEBUG on (a laptop, `make run`) a fixed development key applies; production.py requires the variable.
RRN_ENCRYPTION_KEY = env("RRN_ENCRYPTION_KEY", default="ZGV2ZWxvcG1lbnQtb25seS1ycm4ta2V5LTMyYnl0ZXM=" if DEBUG else "")
# SMS goes through a pluggable gateway: a dotted path to a class with send(*, phone, text, idempotency_key) -> str
# (membership/sms.py). membership.sms.HttpGateway posts JSON to SMS_GATEWAY_URL and waits SMS_GATEWAY_TIMEOUT s.
SMS_GATEWAY = env("SMS_GATEWAY", default="membership.sms.ConsoleGateway")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TIMEOUT = 10
# Notice delivery (membership.services.notice_deliver): a transient failure is tried again after 15 s, 60 s,
# 240 s, then 300 s (every wait well under the broker's visibility timeout, 600 s), and marked failed after
# the 5th attempt. A row still `sending` NOTICE_DELIVERY_STALE_SECONDS after its claim lost its worker (the
# task's hard limit, 300 s, is shorter); a due row whose task has not run NOTICE_DELIVERY_REQUEUE_SECONDS
# after it was enqueued lost its message. The sweep (beat, every minute) hands both out again, at most
# NOTICE_DELIVERY_SWEEP_BATCH per run.
NOTICE_DELIVERY_MAX_ATTEMPTS = 5
NOTICE_DELIVERY_BACKOFF_SECONDS = (15, 300)  # first wait, longest wait; each wait is 4 times the one before
NOTICE_DELIVERY_STALE_SECONDS = 360
NOTICE_DELIVERY_REQUEUE_SECONDS = 600
NOTICE_DELIVERY_SWEEP_BATCH = 5000

# --- Cache: per process. It holds rendered pages for signed-out readers (eligibility/page_cache.py) and
# nothing that must be shared: every page's key names the versions it shows, read from the database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}

# --- E-mail and logging
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="복지멤버십 <noreply@welfare.example>")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

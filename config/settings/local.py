"""A developer's laptop: DEBUG on, a throwaway key, everything else from base."""
from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-dev-only-not-secret-Nt7vQ2kXw9")
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic needed here
WHITENOISE_USE_FINDERS = True

"""Test run: real PostgreSQL (DATABASE_URL), fast password hashing; each test gets its own MEDIA_ROOT (conftest)."""


import warnings

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key"
# Demo and synthetic data with their commands; production does not install them.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")  # noqa: F405
ALLOWED_HOSTS = ["*"]

# Serve static files straight from the finders (no collectstatic in tests or browser tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Static files come from the finders, so STATIC_ROOT stays empty until collectstatic: WhiteNoise's
# warning about it says nothing here (its documented way to silence it).
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# Each test process keeps its own cache: tests must not see figures cached by another run.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

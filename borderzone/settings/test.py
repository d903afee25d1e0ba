"""Test run: real PostgreSQL (DATABASE_URL), fast password hashing; each test gets its own MEDIA_ROOT (conftest)."""


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
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Each test process keeps its own cache: tests must not see figures cached by another run.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

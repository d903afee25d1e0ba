"""Settings of the load test: ``borderzone.settings.local`` (run with DJANGO_DEBUG=0) plus a cache the
gunicorn workers share, as production would have with Redis (each worker's own memory cache would
count every dashboard once per worker)."""

from borderzone.settings.local import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": "/tmp/borderzone-bench-cache",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
}

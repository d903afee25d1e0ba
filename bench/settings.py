"""Settings of the load test: ``borderzone.settings.local`` (run with DJANGO_DEBUG=0) with a cache the
gunicorn workers share, as in production: Redis when ``REDIS_URL`` is set (the production setting,
unchanged), otherwise a file cache standing in for it (each worker's own memory cache would count
every dashboard once per worker)."""

import os

from borderzone.settings.local import *  # noqa: F403

if not os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/tmp/borderzone-bench-cache",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

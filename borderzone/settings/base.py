"""Settings shared by every environment; values come from the environment (django-environ)."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "csp",
    "agreements",
    "patrols",
    "incidents",
    "reports",
]

MIDDLEWARE = [
    # Before anything reads the body (CSRF's check does): refuses an oversized upload by its Content-Length.
    "borderzone.request_limits.RequestSizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Above the session lifetime check, so the redirect it answers gets the headers too.
    "borderzone.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "borderzone.middleware.SessionLifetimeMiddleware",
    # Attaches the acting user to every audit event written during the request.
    "pghistory.middleware.HistoryMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

# The audit context (acting user, URL) is only needed where a request writes. Reads are GET/HEAD
# (no view writes on them), and injecting the context into every query of a read cost about
# 5 ms per dashboard visit. Services open their own pghistory.context with the actor anyway.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

ROOT_URLCONF = "borderzone.urls"
WSGI_APPLICATION = "borderzone.wsgi.application"
ASGI_APPLICATION = "borderzone.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "incidents.context_processors.open_tips",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/borderzone")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "borderzone.auth.OfficerModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A session ends 12 hours after sign-in whatever the user does, or after DJANGO_SESSION_IDLE_MINUTES
# without a request (borderzone.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_TIMEOUT = env.int("DJANGO_SESSION_IDLE_MINUTES", default=30) * 60

# No inline script or style anywhere: page scripts are files in static/js/, styles in static/css/.
# data: images are Bootstrap's own SVG icons (the menu button, the select arrow).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Browser features the pages may use: none yet (borderzone.middleware.SecurityHeadersMiddleware).
# Only names Chromium knows: it warns in the console about the others (tests/browser/test_csp_browser.py).
# An origin list allows one, e.g. "geolocation": ["self"].
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "clipboard-read": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# Login throttling: five failures lock the username+IP pair for an hour; twenty on any usernames lock
# the IP address (one password tried across many accounts). Axes has one limit for every lockout
# parameter, so the per-address one is checked by borderzone.request_limits.AxesHandler.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_HANDLER = "borderzone.request_limits.AxesHandler"
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["borderzone.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Signed agreement scans are PDFs of a few pages; anything bigger is a mistake.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
AGREEMENT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# A request body is refused by its Content-Length above the document plus room for the form's fields.
REQUEST_MAX_BYTES = AGREEMENT_DOCUMENT_MAX_BYTES + 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL


def _cache_location(url: str) -> str:
    # kombu spells a unix socket "redis+socket://"; redis-py (Django's RedisCache) wants "unix://".
    return "unix://" + url.removeprefix("redis+socket://") if url.startswith("redis+socket://") else url


# Shared by every gunicorn process and the workers. Keys carry the database name so two
# databases on one Redis (make run beside make test, a benchmark copy) never read each other's figures.
CACHES = {
    "default": {
        # Redis unreachable is a miss, not a 500: every cached value can be recomputed from the database.
        "BACKEND": "borderzone.cache.ResilientRedisCache",
        "LOCATION": _cache_location(REDIS_URL),
        "KEY_PREFIX": f"bz:{DATABASES['default']['NAME']}",
        "TIMEOUT": 600,
        # A Redis host that does not answer must cost a page a fraction of a second, not the TCP timeout.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
}
# Sessions are read on every request: from the shared cache, with the database behind it (a cache
# that lost them falls back to the table, so nobody is logged out).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1, "socket_timeout": 5}
# A request that cannot reach the broker answers within seconds (the version stays queued, the sweep
# sends it later) instead of retrying while the user waits.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Counting a million incidents takes seconds: the national dashboard is served from a snapshot
# that beat refreshes, and the page shows how old it is.
# The queue PDF render tasks go to; None is Celery's default queue (tests give each run its own).
REPORT_TASK_QUEUE = env("REPORT_TASK_QUEUE", default=None)
# The database is the source of truth of PDF requests: the sweep sends again a version whose message
# was lost (Redis down or restarted) or whose worker died mid-render, and removes what that worker left.
REPORT_SWEEP_SECONDS = env.float("REPORT_SWEEP_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "refresh-national-dashboard": {"task": "reports.tasks.refresh_national_dashboard", "schedule": 300.0},
    "sweep-report-versions": {
        "task": "reports.tasks.sweep_report_versions", "schedule": REPORT_SWEEP_SECONDS,
        "options": {"queue": REPORT_TASK_QUEUE, "expires": REPORT_SWEEP_SECONDS} if REPORT_TASK_QUEUE
        else {"expires": REPORT_SWEEP_SECONDS},
    },
}
# Liberation Serif, embedded in every printed report (Debian's fonts-liberation2).
REPORT_FONT_DIR = env.path("REPORT_FONT_DIR", default="/usr/share/fonts/truetype/liberation2")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

"""Developer machine and `make run`: debug on, a throwaway secret key if none is given."""

import warnings

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-insecure-key-do-not-use-in-production")
# Demo and synthetic data with their commands; production does not install them.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Static files come from the finders, so STATIC_ROOT stays empty until collectstatic: WhiteNoise's
# warning about it says nothing here (its documented way to silence it).
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

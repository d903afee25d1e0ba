import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderzone.settings.local")

app = Celery("borderzone")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

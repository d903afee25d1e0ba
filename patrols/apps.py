from django.apps import AppConfig


class PatrolsConfig(AppConfig):
    name = "patrols"
    default_auto_field = "django.db.models.BigAutoField"

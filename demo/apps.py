from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = _("Dữ liệu demo và dữ liệu giả lập")
    default_auto_field = "django.db.models.BigAutoField"

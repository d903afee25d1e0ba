from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The history panels of agreements and clusters show report events; the registry cannot
        # import this app's role rule, so it is registered here.
        from agreements.selectors import register_history_role_rule

        from .permissions import can_view_reports

        for label in ("reports.ReviewReport", "reports.ReportVersion"):
            register_history_role_rule(label, can_view_reports)

"""Django admin for administrators: review reports and their PDF versions, read-only.

Reports are written on the report pages (every rule lives in ``reports.services``); the admin
shows them, and an administrator may queue a failed or stuck version again through the service.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ReportVersion, ReviewReport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportVersionInline(admin.TabularInline):
    model = ReportVersion
    fields = ["number", "status", "requested_by", "requested_at", "finished_at", "attempts", "page_count", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewReport)
class ReviewReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agreement", "cluster", "kind", "period_start", "period_end", "status", "updated_at"]
    list_filter = ["kind", "status"]
    search_fields = ["agreement__number", "agreement__title", "cluster__name", "document_number"]
    list_select_related = ["agreement", "cluster"]
    inlines = [ReportVersionInline]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "requested_by", "requested_at", "finished_at", "attempts", "page_count"]
    list_filter = ["status"]
    list_select_related = ["report__agreement", "report__cluster", "requested_by"]
    exclude = ["html"]
    actions = ["retry"]

    @admin.action(description=_("Tạo lại các phiên bản bị lỗi"))
    def retry(self, request, queryset):
        done = 0
        for version in queryset.select_related("report__agreement"):
            try:
                services.report_version_retry(actor=request.user, version=version)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{version}: {' '.join(exc.messages)}", messages.WARNING)
        if done:
            self.message_user(request, _("Đã gửi lại %(n)s phiên bản.") % {"n": done}, messages.SUCCESS)

    def has_change_permission(self, request, obj=None):
        # The changelist action needs the view; rows stay read-only (no add, no delete, no edit form).
        return False

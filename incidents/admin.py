"""Django admin for tips, incidents and the incident taxonomy.

Tips and incidents are written only through ``incidents.services`` (the record pages), which check
jurisdiction and the business rules and keep the audit actor; here administrators only read them.
Categories come from a data migration: their codes are stable, wording and order may be adjusted.
"""

from django.contrib import admin

from .models import Incident, IncidentCategory, Tip


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IncidentCategory)
class IncidentCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "default_nature", "order", "code"]
    list_filter = ["group", "default_nature"]
    search_fields = ["name", "code", "group"]
    readonly_fields = ["code"]
    ordering = ["order", "name"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tip)
class TipAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "category", "from_unit", "to_unit", "status", "deadline", "jointly_verified"]
    list_filter = ["status", "jointly_verified", "source_kind", "category"]
    search_fields = ["summary", "from_unit__name", "to_unit__name", "commune__name"]
    date_hierarchy = "received_at"
    list_select_related = ["category", "from_unit", "to_unit"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "lead_unit", "nature", "status", "solved_at", "jointly_handled"]
    list_filter = ["status", "nature", "jointly_handled", "category__group", "source"]
    search_fields = ["summary", "place", "commune__name", "lead_unit__name"]
    date_hierarchy = "occurred_at"
    list_select_related = ["category", "commune", "lead_unit"]

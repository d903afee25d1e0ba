"""Django admin for administrators: repairing patrols, campaigns and checkpoints by hand.

Officers log and confirm patrols through the pages (``patrols.views`` → ``patrols.services``);
the admin is for corrections. Every change is audited by pghistory's middleware.
"""

from django.contrib import admin
from django.db.models import Sum

from .models import Campaign, Checkpoint, Patrol, PatrolParticipant, PatrolParticipation


class ParticipationInline(admin.TabularInline):
    model = PatrolParticipation
    autocomplete_fields = ["unit"]
    extra = 0
    min_num = 1


class ParticipantInline(admin.TabularInline):
    model = PatrolParticipant
    autocomplete_fields = ["unit"]
    extra = 0


@admin.register(Patrol)
class PatrolAdmin(admin.ModelAdmin):
    list_display = ["__str__", "started_at", "cluster", "lead_unit", "officer_total", "status"]
    list_filter = ["status", "started_at"]
    search_fields = ["programme", "route", "lead_unit__name", "cluster__name"]
    autocomplete_fields = ["agreement", "cluster", "lead_unit", "campaign"]
    raw_id_fields = ["communes", "confirmed_by", "created_by"]
    readonly_fields = ["officer_total", "created_at"]
    list_select_related = ["cluster", "lead_unit"]
    date_hierarchy = "started_at"
    show_full_result_count = False  # hundreds of thousands of rows: no second COUNT(*)
    inlines = [ParticipationInline, ParticipantInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Keep the denormalised "lượt người" in step with the participation rows just saved.
        patrol = form.instance
        total = patrol.participations.aggregate(total=Sum("officers"))["total"] or 0
        if total != patrol.officer_total:
            Patrol.objects.filter(pk=patrol.pk).update(officer_total=total)
            patrol.officer_total = total


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "agreement", "cluster"]
    search_fields = ["name", "agreement__title", "cluster__name"]
    autocomplete_fields = ["agreement", "cluster"]
    filter_horizontal = ["units"]
    list_select_related = ["agreement", "cluster"]
    date_hierarchy = "starts_on"


@admin.register(Checkpoint)
class CheckpointAdmin(admin.ModelAdmin):
    list_display = ["place", "commune", "purpose", "starts_on", "ends_on", "agreement"]
    search_fields = ["place", "purpose", "commune__name"]
    autocomplete_fields = ["agreement", "cluster"]
    raw_id_fields = ["commune"]
    filter_horizontal = ["units"]
    list_select_related = ["commune", "agreement"]
    date_hierarchy = "starts_on"

"""Django admin for administrators (role "Quản trị viên"); every change is audited by pghistory's middleware."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    AdministrativeSuccession,
    AdministrativeUnit,
    Agreement,
    AgreementArticle,
    AgreementChapter,
    AgreementParty,
    BoardMember,
    Cluster,
    ClusterMember,
    CoordinationArea,
    LegalBasis,
    MobileTeam,
    MobileTeamMember,
    Officer,
    SelfManagementModel,
    Unit,
)

admin.site.site_header = _("Phối hợp vùng giáp ranh – Quản trị")
admin.site.site_title = _("Quản trị")
admin.site.index_title = _("Dữ liệu danh mục")


class SuccessionInline(admin.TabularInline):
    model = AdministrativeSuccession
    fk_name = "old"
    raw_id_fields = ["new"]
    extra = 0
    verbose_name = _("nay thuộc")
    verbose_name_plural = _("nay thuộc")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "era", "parent"]
    list_filter = ["era", "level"]
    search_fields = ["name", "codename", "=code"]
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]
    inlines = [SuccessionInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "force", "level", "area", "parent", "valid_from", "valid_to"]
    list_filter = ["force", "level"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["area", "parent", "successor"]
    list_select_related = ["area", "parent"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "unit", "rank", "position", "role"]
    list_filter = ["role", "unit__force"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["unit", "user"]
    list_select_related = ["user", "unit"]


class PartyInline(admin.TabularInline):
    model = AgreementParty
    autocomplete_fields = ["unit"]
    extra = 0


class ChapterInline(admin.TabularInline):
    model = AgreementChapter
    extra = 0
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "signed_on", "status"]
    list_filter = ["status"]
    search_fields = ["number", "title", "parties__unit__name"]
    autocomplete_fields = ["supersedes"]
    filter_horizontal = ["legal_bases", "coordination_areas"]
    inlines = [PartyInline, ChapterInline]
    date_hierarchy = "signed_on"


class ArticleInline(admin.StackedInline):
    model = AgreementArticle
    extra = 0


@admin.register(AgreementChapter)
class AgreementChapterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "agreement"]
    search_fields = ["title", "agreement__title"]
    inlines = [ArticleInline]


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["number", "issued_on", "title"]
    search_fields = ["number", "title"]


@admin.register(CoordinationArea)
class CoordinationAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


class MemberInline(admin.TabularInline):
    model = ClusterMember
    raw_id_fields = ["commune"]
    extra = 0


class BoardInline(admin.TabularInline):
    model = BoardMember
    autocomplete_fields = ["unit"]
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agreement", "established_on"]
    list_filter = ["kind"]
    search_fields = ["name", "agreement__title"]
    autocomplete_fields = ["agreement"]
    inlines = [MemberInline, BoardInline]


class TeamMemberInline(admin.TabularInline):
    model = MobileTeamMember
    autocomplete_fields = ["unit"]
    raw_id_fields = ["commune"]
    extra = 0


@admin.register(MobileTeam)
class MobileTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster", "established_on"]
    search_fields = ["name", "cluster__name"]
    inlines = [TeamMemberInline]


@admin.register(SelfManagementModel)
class SelfManagementModelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "agreement", "status", "started_on"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "commune__name"]
    raw_id_fields = ["commune"]
    autocomplete_fields = ["agreement", "cluster"]
    list_select_related = ["commune", "agreement"]

"""Every read of review reports and their versions, narrowed to what the user may see.

Jurisdiction comes from the registry's choke point (``Agreement.objects.visible_to``): a report
of another jurisdiction raises Http404 exactly like a missing one. Who may open report pages at
all is a role question (``permissions.can_view_reports``), checked by the views after the lookup.
"""

from __future__ import annotations

import datetime
import re

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agreements.models import Agreement, AgreementParty, Cluster
from agreements.querysets import officer_of
from borderzone.periods import Period

from .models import ReportStatus, ReportVersion, ReviewReport, VersionStatus, period_label


def report_list(*, user, agreement_id: int | None = None, status: str = "") -> QuerySet[ReviewReport]:
    qs = ReviewReport.objects.visible_to(user).select_related("agreement", "cluster", "created_by")
    if agreement_id is not None:
        qs = qs.filter(agreement_id=agreement_id)
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    return qs.annotate(version_count=Count("versions")).order_by("-period_start", "-pk")


def report_get(*, user, pk: int) -> ReviewReport:
    return get_object_or_404(ReviewReport.objects.visible_to(user).select_related("agreement", "cluster"), pk=pk)


def report_detail(*, user, pk: int) -> ReviewReport:
    versions = ReportVersion.objects.select_related("requested_by").defer("html", "figures", "content")
    qs = ReviewReport.objects.visible_to(user).select_related("agreement", "cluster", "created_by").prefetch_related(
        Prefetch("versions", queryset=versions)
    )
    return get_object_or_404(qs, pk=pk)


def version_get(*, user, pk: int) -> ReportVersion:
    qs = ReportVersion.objects.visible_to(user).select_related("report__agreement", "report__cluster", "requested_by")
    return get_object_or_404(qs.defer("html", "figures", "content"), pk=pk)


def report_period(report: ReviewReport) -> tuple[Period, Period | None]:
    comparison = None
    if report.comparison_start is not None and report.comparison_end is not None:
        comparison = Period(report.comparison_start, report.comparison_end)
    return Period(report.period_start, report.period_end), comparison


def report_figures(report: ReviewReport) -> dict:
    """The figures of the report's scope and period as of now (``reports.statistics.compute_figures``)."""
    from .statistics import compute_figures

    period, comparison = report_period(report)
    return compute_figures(
        agreement=report.agreement, cluster=report.cluster, period=period, comparison=comparison,
        compare=comparison is not None,
    )


def version_is_retryable(version: ReportVersion, now: datetime.datetime | None = None) -> bool:
    """Failed, or stuck: queued with no worker taking it, or abandoned while rendering (see services)."""
    from .services import STALE_QUEUED, STALE_RENDERING

    now = now or timezone.now()
    if version.status == VersionStatus.FAILED:
        return True
    if version.status == VersionStatus.QUEUED:
        return version.requested_at < now - STALE_QUEUED
    if version.status == VersionStatus.RENDERING:
        alive_at = version.heartbeat_at or version.started_at
        return alive_at is not None and alive_at < now - STALE_RENDERING
    return False


AREA_PREFIXES = re.compile(r"^(Thành phố|Thị xã|Thị trấn|Quận|Huyện|Tỉnh|Phường|Xã)\s+", re.IGNORECASE)


def report_defaults(*, user, agreement: Agreement, cluster: Cluster | None, period_start: datetime.date,
                    period_end: datetime.date) -> dict:
    """Starting values of a new report's text, from the author's unit and its party to the agreement.

    The issuing unit is the author's unit and the parent body the unit above it; the place is the
    name of the unit's area without its kind ("Điện Bàn"); the signatory is the one who signed the
    agreement for that unit. Everything is editable before printing.
    """
    officer = officer_of(user)
    unit = officer.unit if officer is not None else None
    values: dict = {}
    if unit is not None:
        values["issuing_unit"] = unit.name
        values["parent_body"] = unit.parent.name if unit.parent_id else ""
        values["place"] = AREA_PREFIXES.sub("", unit.area.name)
        party = (
            AgreementParty.objects.filter(agreement=agreement, unit_id__in=unit.ancestor_ids())
            .select_related("unit").first()
        )
        if party is not None:
            values["signatory_name"] = party.signatory_name
            values["signatory_position"] = party.signatory_position
    label = period_label(period_start, period_end)
    where = f" tại {cluster.name}" if cluster is not None else " trên địa bàn giáp ranh"
    values["situation"] = (
        f"{label[:1].upper()}{label[1:]}, các lực lượng tham gia quy chế phối hợp đã triển khai thực hiện các nội "
        f"dung phối hợp{where}. Số liệu tại Mục II được tổng hợp từ hệ thống theo dõi phối hợp vùng giáp ranh."
    )
    parties = list(agreement.parties.select_related("unit").order_by("order", "pk"))
    recipients = [f"{p.unit.name};" for p in parties if unit is None or p.unit_id != unit.pk]
    values["recipients"] = "\n".join([*recipients, "Lưu: VT."])
    return values

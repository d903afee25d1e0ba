"""Pages of the review reports (báo cáo sơ kết / tổng kết) and their PDF versions.

Every lookup goes through ``selectors`` (which start from ``Agreement.objects.visible_to``), so a
report of another jurisdiction answers 404 exactly like a missing one. The role is checked after
the lookup: commanders read, staff officers and administrators also write, officers are refused
(403). Each write calls one service; the PDF itself is made by the Celery worker, and the versions
table follows its progress with htmx polling of one row at a time.
"""

from __future__ import annotations

import copy
import logging
import unicodedata

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from borderzone.forms import apply_service_errors
from borderzone.views import GuardedMixin, ServiceFormView

from . import pdf, permissions, selectors, services
from .forms import ReportCreateForm, ReportTextForm
from .models import NARRATIVE_FIELDS, ReportStatus, ReviewReport, VersionStatus

logger = logging.getLogger(__name__)

# Narrative parts the printed report needs (strengths are optional).
REQUIRED_NARRATIVE = tuple(name for name in NARRATIVE_FIELDS if name != "strengths")


class ReportPageMixin(GuardedMixin):
    """Report pages: any role that reads reports (commander, staff, administrator); writing pages
    declare ``permission = permissions.can_write_reports``."""

    permission = permissions.can_view_reports
    denied_message = _("Bạn không có quyền xem hoặc lập báo cáo sơ kết, tổng kết.")


class ReportListView(ReportPageMixin, ListView):
    template_name = "reports/report_list.html"
    context_object_name = "reports"
    paginate_by = 25

    def get_queryset(self):
        status = self.request.GET.get("trang_thai", "")
        self.status = status if status in ReportStatus.values else ""
        return selectors.report_list(user=self.request.user, status=self.status)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            status=self.status, statuses=ReportStatus.choices,
            can_write=permissions.can_write_reports(self.request.user), **kwargs,
        )


class ReportCreateView(ReportPageMixin, ServiceFormView):
    permission = permissions.can_write_reports
    template_name = "reports/report_form.html"
    form_class = ReportCreateForm

    def form_extra_kwargs(self):
        return {"user": self.request.user}

    def get_initial(self):
        scope = self.request.GET.get("pham_vi", "")
        return {"scope": scope} if scope else {}

    def call_service(self, form):
        values = form.report_values()
        texts = selectors.report_defaults(
            user=self.request.user, agreement=values["agreement"], cluster=values["cluster"],
            period_start=values["period_start"], period_end=values["period_end"],
        )
        return services.report_create(actor=self.request.user, **values, **texts)

    def get_success_message(self, report):
        return gettext("Đã tạo báo cáo %(report)s. Nhập nội dung rồi tạo file PDF.") % {"report": report}


def _download_name(report: ReviewReport, number: int) -> str:
    text = unicodedata.normalize("NFC", f"bao cao {report.get_kind_display()} {report.period_label}")
    text = text.replace("đ", "d").replace("Đ", "D")
    return f"{slugify(text)}-v{number}.pdf"


class ReportDetailView(ReportPageMixin, TemplateView):
    """The report page: live figures, the narrative (a form for staff), the versions and their progress."""

    template_name = "reports/report_detail.html"

    def load_objects(self):
        self.report = selectors.report_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_form(self, data=None):
        # A copy: ModelForm validation writes the input onto its instance, the service gets the stored one.
        return ReportTextForm(data, instance=copy.copy(self.report))

    def get_context_data(self, **kwargs):
        report = self.report
        can_write = permissions.can_write_reports(self.request.user)
        figures, figures_error = None, ""
        try:
            figures = selectors.report_figures(report)
        except Exception:  # the page must still open to fix the text or see the versions
            logger.exception("report %s: figures could not be computed", report.pk)
            figures_error = gettext("Không tính được số liệu của kỳ báo cáo.")
        versions = list(report.versions.all())
        latest = versions[0] if versions else None
        if can_write and "form" not in kwargs:
            kwargs["form"] = self.get_form()
        return super().get_context_data(
            report=report,
            figures=figures,
            figures_error=figures_error,
            sections=pdf.result_sections(figures) if figures else [],
            headline=_headline(figures) if figures else [],
            versions=versions,
            retryable={v.pk for v in versions if selectors.version_is_retryable(v)},
            changed_since_latest=latest is not None and report.updated_at > latest.requested_at,
            missing=[ReviewReport._meta.get_field(n).verbose_name for n in REQUIRED_NARRATIVE
                     if not getattr(report, n).strip()],
            can_write=can_write,
            **kwargs,
        )


def _headline(figures: dict) -> list[dict]:
    from borderzone.formatting import change_text, clearance_text, vn_number

    h, inc, tips, patrols = figures["headline"], figures["incidents"], figures["tips"], figures["patrols"]

    def row(label: str, key: str, value: str, unit: str) -> dict:
        item = h.get(key) or {}
        change = change_text(item.get("diff"), item.get("pct"), unit) if item.get("diff") is not None else ""
        return {"label": label, "value": value, "change": change}

    return [
        row(gettext("Vụ việc xảy ra"), "incidents_occurred", vn_number(inc["occurred"]), "vụ"),
        row(gettext("Làm rõ"), "solved_of_occurred", clearance_text(inc["solved_of_occurred"], inc["occurred"]), "vụ"),
        row(gettext("Đối tượng bị bắt, xử lý"), "suspects_dealt_with", vn_number(inc["suspects_dealt_with"]),
            "đối tượng"),
        row(gettext("Nguồn tin trao đổi"), "tips_exchanged", vn_number(tips["total"]), "tin"),
        row(gettext("Nguồn tin phối hợp xác minh"), "tips_jointly_verified", vn_number(tips["jointly_verified"]),
            "tin"),
        row(gettext("Ca tuần tra chung"), "patrol_shifts", vn_number(patrols["shifts"]), "ca"),
        row(gettext("Lượt người tham gia tuần tra"), "person_participations",
            vn_number(patrols["person_participations"]), "lượt"),
    ]


class ReportUpdateView(ReportDetailView):
    """GET shows the report page; POST saves the text ("Lưu nháp"), and with ``action=pdf`` also queues a PDF."""

    permission = permissions.can_write_reports

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                services.report_update(actor=request.user, report=self.report, **form.values())
            except ValidationError as exc:
                apply_service_errors(exc, form)
            else:
                if request.POST.get("action") == "pdf":
                    version = services.report_request_pdf(actor=request.user, report=self.report)
                    messages.success(request, gettext("Đã lưu và gửi yêu cầu tạo file PDF (phiên bản %(n)s).")
                                     % {"n": version.number})
                    return HttpResponseRedirect(self.report.get_absolute_url() + "#phien-ban")
                messages.success(request, gettext("Đã lưu nháp báo cáo."))
                return redirect(self.report)
        return self.render_to_response(self.get_context_data(form=form), status=200)


class ReportRequestPdfView(ReportPageMixin, View):
    """POST: queue a new PDF version with the text as saved and the figures as of now."""

    permission = permissions.can_write_reports
    http_method_names = ["post"]

    def load_objects(self):
        self.report = selectors.report_get(user=self.request.user, pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        version = services.report_request_pdf(actor=request.user, report=self.report)
        messages.success(request, gettext("Đã gửi yêu cầu tạo file PDF (phiên bản %(n)s).") % {"n": version.number})
        return HttpResponseRedirect(self.report.get_absolute_url() + "#phien-ban")


class VersionMixin(ReportPageMixin):
    def load_objects(self):
        self.version = selectors.version_get(user=self.request.user, pk=self.kwargs["pk"])

    def render_row(self):
        version = self.version
        return TemplateResponse(self.request, "reports/_version_row.html", {
            "version": version,
            "report": version.report,
            "retryable": selectors.version_is_retryable(version),
            "can_write": permissions.can_write_reports(self.request.user),
            # The report's badge at the top of the page follows its versions (an htmx out-of-band swap).
            "oob_report_status": self.request.htmx,
        })


class ReportVersionStatusView(VersionMixin, View):
    """One row of the versions table: htmx polls it every 2 s while the version is queued or rendering."""

    def get(self, request, *args, **kwargs):
        response = self.render_row()
        response["Cache-Control"] = "no-store"
        return response


class ReportVersionDownloadView(VersionMixin, View):
    """The PDF, only through the choke point; MEDIA is never served directly."""

    def get(self, request, *args, **kwargs):
        version = self.version
        if version.status != VersionStatus.READY or not version.pdf:
            raise Http404(gettext("Phiên bản này chưa có file PDF."))
        try:
            handle = version.pdf.open("rb")
        except FileNotFoundError as exc:
            raise Http404(gettext("Không tìm thấy file PDF.")) from exc
        return FileResponse(handle, as_attachment=True, filename=_download_name(version.report, version.number),
                            content_type="application/pdf")


class ReportVersionRetryView(VersionMixin, View):
    """POST: queue a failed (or stuck) version again, with the figures it was requested with."""

    permission = permissions.can_write_reports
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            self.version = services.report_version_retry(actor=request.user, version=self.version)
        except ValidationError as exc:
            if request.htmx:
                return self.render_row()
            messages.warning(request, " ".join(exc.messages))
        else:
            if request.htmx:
                self.version = selectors.version_get(user=request.user, pk=self.version.pk)
                return self.render_row()
            messages.success(request, gettext("Đã gửi lại yêu cầu tạo phiên bản %(n)s.") % {"n": self.version.number})
        return HttpResponseRedirect(reverse("reports:report_detail", args=[self.version.report_id]) + "#phien-ban")

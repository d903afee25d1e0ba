"""Forms of the review report pages. Forms read and convert input; every rule lives in ``services``."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borderzone.forms import DateInput
from patrols.selectors import Period

from . import selectors
from .models import ReportKind, ReviewReport
from .statistics import period_for, previous_year

PERIOD_CHOICES = [
    ("year", _("Cả năm")),
    ("half1", _("6 tháng đầu năm")),
    ("half2", _("6 tháng cuối năm")),
    ("custom", _("Khoảng thời gian khác")),
]
ONE_DAY = datetime.timedelta(days=1)


class ReportCreateForm(forms.Form):
    """Scope (agreement or one of its clusters, only those the user sees), kind and period of a new report.

    Dates typed by people are inclusive ("đến ngày 31/12/2023"); :meth:`report_values` turns them
    into the half-open periods the services and the statistics use.
    """

    scope = forms.ChoiceField(label=_("Phạm vi báo cáo"))
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportKind.choices, initial=ReportKind.INTERIM)
    period_kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PERIOD_CHOICES, initial="year",
                                    widget=forms.RadioSelect)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    period_start = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput(),
                                 help_text=_("Tính cả ngày này."))
    compare = forms.BooleanField(label=_("So sánh với kỳ trước"), required=False, initial=True)
    comparison_start = forms.DateField(label=_("Kỳ so sánh từ ngày"), required=False, widget=DateInput(),
                                       help_text=_("Để trống để so sánh với cùng kỳ năm trước."))
    comparison_end = forms.DateField(label=_("Kỳ so sánh đến ngày"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes: dict[str, tuple] = {}
        groups = []
        for agreement, clusters in selectors.report_scopes(user=user):
            key = f"a{agreement.pk}"
            self.scopes[key] = (agreement, None)
            options = [(key, _("Toàn quy chế: %(agreement)s") % {"agreement": agreement})]
            for cluster in clusters:
                self.scopes[f"c{cluster.pk}"] = (agreement, cluster)
                options.append((f"c{cluster.pk}", _("Cụm: %(cluster)s") % {"cluster": cluster.name}))
            groups.append((agreement.number or agreement.title[:60], options))
        self.fields["scope"].choices = [("", "---------"), *groups]
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        kind = data.get("period_kind")
        try:
            if kind == "custom":
                start, end = data.get("period_start"), data.get("period_end")
                if start is None:
                    self.add_error("period_start", _("Nhập ngày bắt đầu kỳ báo cáo."))
                if end is None:
                    self.add_error("period_end", _("Nhập ngày kết thúc kỳ báo cáo."))
                if start is None or end is None:
                    return data
                if end < start:
                    self.add_error("period_end", _("Ngày kết thúc kỳ báo cáo không thể trước ngày bắt đầu."))
                    return data
                period = period_for("custom", start=start, end=end + ONE_DAY)
            elif kind:
                if data.get("year") is None:
                    self.add_error("year", _("Nhập năm của kỳ báo cáo."))
                    return data
                period = (period_for("year", data["year"]) if kind == "year"
                          else period_for("half", data["year"], 1 if kind == "half1" else 2))
            else:
                return data
        except ValueError:
            self.add_error("period_kind", _("Kỳ báo cáo không hợp lệ."))
            return data
        comparison = None
        if data.get("compare"):
            c_start, c_end = data.get("comparison_start"), data.get("comparison_end")
            if c_start is None and c_end is None:
                comparison = previous_year(period)
            elif c_start is None or c_end is None:
                self.add_error("comparison_start" if c_start is None else "comparison_end",
                               _("Nhập đủ ngày bắt đầu và ngày kết thúc của kỳ so sánh."))
                return data
            else:
                comparison = Period(c_start, c_end + ONE_DAY)
        data["period"], data["comparison"] = period, comparison
        return data

    def report_values(self) -> dict:
        agreement, cluster = self.scopes[self.cleaned_data["scope"]]
        period, comparison = self.cleaned_data["period"], self.cleaned_data["comparison"]
        return {
            "agreement": agreement,
            "cluster": cluster,
            "kind": self.cleaned_data["kind"],
            "period_start": period.start,
            "period_end": period.end,
            "comparison_start": comparison.start if comparison else None,
            "comparison_end": comparison.end if comparison else None,
        }

    # Where a service error on a report field shows on this form.
    def service_error_field(self, name: str) -> str | None:
        custom = self.cleaned_data.get("period_kind") == "custom"
        return {
            "cluster": "scope",
            "agreement": "scope",
            "kind": "kind",
            "period_start": "period_start" if custom else "year",
            "period_end": "period_end" if custom else "year",
            "comparison_start": "comparison_start",
            "comparison_end": "comparison_end",
        }.get(name)


class ReportTextForm(forms.ModelForm):
    """What staff write on the report page: the narrative, number, place, date, issuing body, signatory, recipients."""

    class Meta:
        model = ReviewReport
        fields = [
            "kind", "subject", "situation", "strengths", "limitations", "lessons", "directions", "recommendations",
            "document_number", "place", "issued_on", "parent_body", "issuing_unit", "signatory_authority",
            "signatory_position", "signatory_name", "recipients",
        ]
        widgets = {
            "issued_on": DateInput(),
            "subject": forms.Textarea(attrs={"rows": 2}),
            "situation": forms.Textarea(attrs={"rows": 5}),
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "limitations": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.Textarea(attrs={"rows": 3}),
            "directions": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

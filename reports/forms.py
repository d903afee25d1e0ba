"""Forms of the review report pages. Forms read and convert input; every rule lives in ``services``."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.forms import ScopeFormMixin
from borderzone import periods
from borderzone.forms import BoundedDateField, DateInput
from borderzone.periods import (
    EARLIEST_YEAR,
    KIND_MONTH,
    KIND_QUARTER,
    KIND_RANGE,
    KIND_YEAR,
    LATEST_YEAR,
    MAX_RANGE_DAYS,
    ChosenPeriod,
    Period,
)

from .models import ReportKind, ReviewReport

PERIOD_CHOICES = [
    ("year", _("Cả năm")),
    ("half1", _("6 tháng đầu năm")),
    ("half2", _("6 tháng cuối năm")),
    ("custom", _("Khoảng thời gian khác")),
]
ONE_DAY = datetime.timedelta(days=1)


class ReportCreateForm(ScopeFormMixin, forms.Form):
    """Scope (agreement or one of its clusters, only those the user sees), kind and period of a new report.

    Dates typed by people are inclusive ("đến ngày 31/12/2023"); :meth:`report_values` turns them
    into the half-open periods the services and the statistics use.
    """

    scope_label = _("Phạm vi báo cáo")
    scope_help = ""
    scope_empty_label = "---------"
    scope_whole_agreement = True
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportKind.choices, initial=ReportKind.INTERIM)
    period_kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PERIOD_CHOICES, initial="year",
                                    widget=forms.RadioSelect)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    period_start = BoundedDateField(label=_("Từ ngày"), required=False, widget=DateInput())
    period_end = BoundedDateField(label=_("Đến ngày"), required=False, widget=DateInput(),
                                 help_text=_("Tính cả ngày này."))
    compare = forms.BooleanField(label=_("So sánh với kỳ trước"), required=False, initial=True)
    comparison_start = BoundedDateField(label=_("Kỳ so sánh từ ngày"), required=False, widget=DateInput(),
                                       help_text=_("Để trống để so sánh với cùng kỳ năm trước."))
    comparison_end = BoundedDateField(label=_("Kỳ so sánh đến ngày"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_scope(user)
        self.fields["year"].initial = timezone.localdate().year

    def default_scope(self):
        return None  # a report's scope is always picked, never guessed

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
                period = Period.custom(start, end + ONE_DAY)
            elif kind:
                if data.get("year") is None:
                    self.add_error("year", _("Nhập năm của kỳ báo cáo."))
                    return data
                period = (Period.year(data["year"]) if kind == "year"
                          else Period.half(data["year"], 1 if kind == "half1" else 2))
            else:
                return data
        except ValueError:
            self.add_error("period_kind", _("Kỳ báo cáo không hợp lệ."))
            return data
        comparison = None
        if data.get("compare"):
            c_start, c_end = data.get("comparison_start"), data.get("comparison_end")
            if c_start is None and c_end is None:
                comparison = period.previous_year()
            elif c_start is None or c_end is None:
                self.add_error("comparison_start" if c_start is None else "comparison_end",
                               _("Nhập đủ ngày bắt đầu và ngày kết thúc của kỳ so sánh."))
                return data
            else:
                comparison = Period(c_start, c_end + ONE_DAY)
        data["period"], data["comparison"] = period, comparison
        return data

    def report_values(self) -> dict:
        scope = self.cleaned_data["scope"]
        agreement, cluster = scope.agreement, scope.cluster
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
        field_classes = {"issued_on": BoundedDateField}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# The dashboard's period picker ---------------------------------------------------------------------

PICKER_KINDS = [
    (KIND_YEAR, _("Năm")),
    (KIND_QUARTER, _("Quý")),
    (KIND_MONTH, _("Tháng")),
    (KIND_RANGE, _("Từ ngày – đến ngày")),
]
YEAR_ERRORS = {
    "invalid": _("Nhập năm bằng chữ số, ví dụ 2023."),
    "min_value": _("Năm phải từ %(limit_value)s trở về sau."),
    "max_value": _("Năm không được sau %(limit_value)s."),
}


class PeriodForm(forms.Form):
    """The dashboard's period picker, read from the query string. Invalid input is reported and the default used."""

    ky = forms.ChoiceField(
        label=_("Kỳ"), choices=PICKER_KINDS, required=False,
        error_messages={"invalid_choice": _("Chọn xem theo năm, quý, tháng hoặc khoảng ngày.")},
    )
    nam = forms.IntegerField(
        label=_("Năm"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR, error_messages=YEAR_ERRORS
    )
    quy = forms.TypedChoiceField(
        label=_("Quý"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), *((q, f"Quý {q}") for q in range(1, 5))],
        error_messages={"invalid_choice": _("Quý phải là 1, 2, 3 hoặc 4.")},
    )
    thang = forms.TypedChoiceField(
        label=_("Tháng"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), *((m, f"Tháng {m}") for m in range(1, 13))],
        error_messages={"invalid_choice": _("Tháng phải từ 1 đến 12.")},
    )
    tu_ngay = BoundedDateField(
        label=_("Từ ngày"), required=False, widget=DateInput(),
        error_messages={"invalid": _("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/01/2023.")},
    )
    den_ngay = BoundedDateField(
        label=_("Đến ngày"), required=False, widget=DateInput(),
        error_messages={"invalid": _("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2023.")},
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["nam"].widget.attrs.update({"inputmode": "numeric", "placeholder": str(self.today.year)})

    def _kind(self, cleaned: dict) -> str:
        kind = cleaned.get("ky")
        if kind:
            return kind
        if cleaned.get("tu_ngay") or cleaned.get("den_ngay"):
            return KIND_RANGE
        if cleaned.get("thang"):
            return KIND_MONTH
        if cleaned.get("quy"):
            return KIND_QUARTER
        return KIND_YEAR

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        kind = self._kind(cleaned)
        cleaned["ky"] = kind
        year = cleaned.get("nam") or self.today.year
        cleaned["nam"] = year
        if kind == KIND_QUARTER and not cleaned.get("quy"):
            if "nam" in self.data and self.data.get("nam"):
                self.add_error("quy", _("Chọn quý (1 đến 4)."))
            else:
                cleaned["quy"] = (self.today.month - 1) // 3 + 1
        if kind == KIND_MONTH and not cleaned.get("thang"):
            if "nam" in self.data and self.data.get("nam"):
                self.add_error("thang", _("Chọn tháng (1 đến 12)."))
            else:
                cleaned["thang"] = self.today.month
        if kind == KIND_RANGE:
            start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
            if not start:
                self.add_error("tu_ngay", _("Nhập “Từ ngày”."))
            if not end:
                self.add_error("den_ngay", _("Nhập “Đến ngày”."))
            if start and end:
                if end < start:
                    self.add_error("den_ngay", _("“Đến ngày” phải bằng hoặc sau “Từ ngày”."))
                elif (end - start).days >= MAX_RANGE_DAYS:
                    self.add_error("den_ngay", _("Khoảng thời gian dài nhất là 5 năm."))
                elif start.year < EARLIEST_YEAR or end.year > LATEST_YEAR:
                    self.add_error("tu_ngay", _("Chọn ngày trong khoảng từ năm 1990 đến năm 2100."))
        return cleaned

    def chosen(self) -> ChosenPeriod:
        """The chosen period, or the default (the current year) when nothing or something invalid was given."""
        if not (self.is_bound and self.is_valid()):
            return periods.choose(KIND_YEAR, year=self.today.year, today=self.today)
        data = self.cleaned_data
        return periods.choose(data["ky"], today=self.today, year=data.get("nam"), quarter=data.get("quy"),
                              month=data.get("thang"), start=data.get("tu_ngay"), last=data.get("den_ngay"))

    def error_messages(self) -> list[str]:
        if not self.is_bound or self.is_valid():
            return []
        messages = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        return messages

"""Filters of the tip and incident lists, read from the query string.

Invalid input shows beside its field and is left out of the filtering; the options come from the
registry's selectors (what the user may see).
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import selectors as registry
from agreements.models import AdministrativeUnit, Agreement, Cluster, Unit
from borderzone.forms import SEARCH_ERRORS, BoundedDateField, DateInput, cap_choices
from borderzone.periods import EARLIEST_YEAR, LATEST_YEAR, Period

from . import selectors
from .forms import agreement_label, grouped_categories
from .models import IncidentCategory, IncidentStatus, Nature, TipStatus

YEAR_ERRORS = {
    "invalid": _("Nhập năm bằng số, ví dụ 2023."),
    "min_value": _("Năm phải từ %(limit_value)s trở về sau."),
    "max_value": _("Năm không được sau %(limit_value)s."),
}


# Filters of the lists ---------------------------------------------------------------------------

YES_NO = [("", _("Tất cả")), ("1", _("Có")), ("0", _("Không"))]


def _yes_no(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


class FilterForm(forms.Form):
    """GET filters; invalid input shows beside its field and is left out of the filtering."""

    nam = forms.IntegerField(
        label=_("Năm"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR, error_messages=YEAR_ERRORS
    )
    tu_ngay = BoundedDateField(label=_("Từ ngày"), required=False, widget=DateInput())
    den_ngay = BoundedDateField(label=_("Đến ngày"), required=False, widget=DateInput())
    quy_che = forms.ModelChoiceField(
        label=_("Quy chế phối hợp"), queryset=Agreement.objects.none(), required=False, empty_label=_("Tất cả")
    )
    cum = forms.ModelChoiceField(
        label=_("Cụm giáp ranh"), queryset=Cluster.objects.none(), required=False, empty_label=_("Tất cả")
    )
    xa = forms.ModelChoiceField(
        label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none(), required=False, empty_label=_("Tất cả")
    )
    loai = forms.ModelChoiceField(
        label=_("Loại vụ việc"), queryset=IncidentCategory.objects.all(), required=False, empty_label=_("Tất cả")
    )
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200, error_messages=SEARCH_ERRORS)

    # Short inputs laid out two to a row on a phone.
    narrow_fields = ("nam", "trang_thai", "phoi_hop", "huong", "tinh_chat")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["quy_che"].queryset = registry.agreement_choices(user=user)
        self.fields["quy_che"].label_from_instance = agreement_label
        self.fields["cum"].queryset = registry.cluster_choices(user=user)
        for name in ("quy_che", "cum"):
            cap_choices(self.fields[name], self.data.get(name))
        self.fields["xa"].queryset = registry.filter_communes(user=user, record_communes=self.record_communes())
        cap_choices(self.fields["xa"], self.data.get("xa"))
        # The options offered stay as above, but any commune filters: a dashboard links to every commune
        # its figures count (for administrators, communes outside the clusters too).
        offered = list(self.fields["xa"].widget.choices)
        self.fields["xa"].queryset = registry.communes()
        self.fields["xa"].widget.choices = offered
        self.fields["loai"].choices = [("", _("Tất cả")), *grouped_categories()]
        self.fields["q"].widget.attrs["placeholder"] = _("Ví dụ: ngu hanh son, đánh bạc")
        self.fields["nam"].widget.attrs.update({"inputmode": "numeric", "placeholder": str(timezone.localdate().year)})

    def record_communes(self):
        """Subclasses give the commune ids of the records the list shows (tips or incidents)."""
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        start, end, year = cleaned.get("tu_ngay"), cleaned.get("den_ngay"), cleaned.get("nam")
        if start and end and end < start:
            self.add_error("den_ngay", _("“Đến ngày” phải bằng hoặc sau “Từ ngày”."))
        if year and (start or end):
            self.add_error("nam", _("Chọn theo năm hoặc theo khoảng ngày, không chọn cả hai."))
        return cleaned

    def valid_data(self) -> dict:
        """Cleaned values of the fields that passed validation (all of them on a clean form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}

    @staticmethod
    def period_of(data: dict, year: str, start: str, end: str) -> Period | None:
        return Period.between(data.get(start), data.get(end), year=data.get(year))

    def period_ok(self, *names: str) -> bool:
        """A period is applied only when none of its fields is in error (half a period misleads)."""
        return not any(name in self.errors for name in names)

    def common_filters(self, data: dict) -> dict:
        period_ok = self.period_ok("nam", "tu_ngay", "den_ngay")
        return {
            "period": self.period_of(data, "nam", "tu_ngay", "den_ngay") if period_ok else None,
            "agreement_id": data["quy_che"].pk if data.get("quy_che") else None,
            "cluster_id": data["cum"].pk if data.get("cum") else None,
            "commune_id": data["xa"].pk if data.get("xa") else None,
            "category_id": data["loai"].pk if data.get("loai") else None,
            "q": (data.get("q") or "").strip(),
        }

    def active_count(self) -> int:
        """How many filters are set, the search box included."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.fields if self.data.get(name) not in (None, ""))

    def advanced_count(self) -> int:
        """How many filters of the folded panel are set (the panel opens when there are any)."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.fields if name != "q" and self.data.get(name) not in (None, ""))


class TipFilterForm(FilterForm):
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *TipStatus.choices]
    )
    huong = forms.ChoiceField(
        label=_("Hướng"), required=False,
        choices=[("", _("Tất cả")), ("gui", _("Đơn vị tôi gửi đi")), ("nhan", _("Đơn vị tôi tiếp nhận"))],
    )
    don_vi_gui = forms.ModelChoiceField(
        label=_("Đơn vị cung cấp"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )
    don_vi_nhan = forms.ModelChoiceField(
        label=_("Đơn vị tiếp nhận"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )
    qua_han = forms.BooleanField(label=_("Chỉ nguồn tin quá hạn xác minh"), required=False)
    phoi_hop = forms.ChoiceField(label=_("Phối hợp xác minh"), required=False, choices=YES_NO)

    # Narrow fields in pairs, so a phone shows them two to a row.
    field_order = [
        "q", "quy_che", "cum", "xa", "loai", "nam", "trang_thai", "tu_ngay", "den_ngay", "huong", "phoi_hop",
        "don_vi_gui", "don_vi_nhan", "qua_han",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The units of the user's agreements, not of his tips: two IN-subqueries over every tip took
        # seconds on national data, and the list itself is still narrowed to the tips he may read.
        units = registry.candidate_units(user=self.user)
        self.fields["don_vi_gui"].queryset = units
        self.fields["don_vi_nhan"].queryset = units
        for name in ("don_vi_gui", "don_vi_nhan"):
            cap_choices(self.fields[name], self.data.get(name))
        self.fields["q"].help_text = _("Tìm trong nội dung nguồn tin và tên xã, phường; gõ có dấu hoặc không dấu.")

    def record_communes(self):
        return selectors.tip_communes(user=self.user)

    def clean(self):
        cleaned = super().clean()
        direction = cleaned.get("huong")
        if direction == "gui" and cleaned.get("don_vi_gui"):
            self.add_error("huong", _("Đã chọn đơn vị cung cấp; bỏ chọn hướng hoặc đơn vị."))
        if direction == "nhan" and cleaned.get("don_vi_nhan"):
            self.add_error("huong", _("Đã chọn đơn vị tiếp nhận; bỏ chọn hướng hoặc đơn vị."))
        return cleaned

    def selector_filters(self, own_unit_id: int | None) -> dict:
        data = self.valid_data()
        if not data:
            return {}
        filters = self.common_filters(data)
        from_unit = data["don_vi_gui"].pk if data.get("don_vi_gui") else None
        to_unit = data["don_vi_nhan"].pk if data.get("don_vi_nhan") else None
        direction = data.get("huong")
        if direction == "gui":
            from_unit = own_unit_id or -1
        elif direction == "nhan":
            to_unit = own_unit_id or -1
        filters.update(
            status=data.get("trang_thai") or "",
            from_unit_id=from_unit,
            to_unit_id=to_unit,
            overdue=bool(data.get("qua_han")),
            jointly_verified=_yes_no(data.get("phoi_hop")),
        )
        return filters


class IncidentFilterForm(FilterForm):
    lam_ro_tu = BoundedDateField(label=_("Làm rõ từ ngày"), required=False, widget=DateInput())
    lam_ro_den = BoundedDateField(label=_("Làm rõ đến ngày"), required=False, widget=DateInput())
    nhom = forms.ChoiceField(label=_("Nhóm loại vụ việc"), required=False)
    tinh_chat = forms.ChoiceField(label=_("Tính chất"), required=False, choices=[("", _("Tất cả")), *Nature.choices])
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *IncidentStatus.choices]
    )
    don_vi = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì hoặc phối hợp"), queryset=Unit.objects.none(), required=False,
        empty_label=_("Tất cả"),
    )
    phoi_hop = forms.ChoiceField(label=_("Phối hợp giải quyết"), required=False, choices=YES_NO)
    # The cluster rule of the figures (docs/FIGURES.md): the commune was a member on the day it occurred.
    thanh_vien_cum = forms.ModelChoiceField(
        label=_("Xã thuộc cụm vào ngày xảy ra"), queryset=Cluster.objects.none(), required=False,
        empty_label=_("Tất cả"),
    )

    field_order = [
        "q", "quy_che", "cum", "xa", "loai", "nhom", "nam", "trang_thai", "tu_ngay", "den_ngay", "lam_ro_tu",
        "lam_ro_den", "tinh_chat", "phoi_hop", "don_vi", "thanh_vien_cum",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = selectors.categories().order_by().values_list("group", flat=True).distinct()
        self.fields["nhom"].choices = [("", _("Tất cả")), *((g, g) for g in sorted(groups))]
        self.fields["don_vi"].queryset = registry.candidate_units(user=self.user)
        self.fields["thanh_vien_cum"].queryset = self.fields["cum"].queryset
        for name in ("don_vi", "thanh_vien_cum"):
            cap_choices(self.fields[name], self.data.get(name))
        self.fields["q"].help_text = _(
            "Tìm trong tóm tắt, địa điểm, tên xã, phường và loại vụ việc; gõ có dấu hoặc không dấu."
        )

    def record_communes(self):
        return selectors.incident_communes(user=self.user)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("lam_ro_tu"), cleaned.get("lam_ro_den")
        if start and end and end < start:
            self.add_error("lam_ro_den", _("“Làm rõ đến ngày” phải bằng hoặc sau “Làm rõ từ ngày”."))
        return cleaned

    def selector_filters(self) -> dict:
        data = self.valid_data()
        if not data:
            return {}
        filters = self.common_filters(data)
        filters.update(
            solved_period=(
                self.period_of(data, "", "lam_ro_tu", "lam_ro_den") if self.period_ok("lam_ro_tu", "lam_ro_den")
                else None
            ),
            category_group=data.get("nhom") or "",
            nature=data.get("tinh_chat") or "",
            status=data.get("trang_thai") or "",
            unit_id=data["don_vi"].pk if data.get("don_vi") else None,
            jointly_handled=_yes_no(data.get("phoi_hop")),
            member_of_cluster_id=data["thanh_vien_cum"].pk if data.get("thanh_vien_cum") else None,
        )
        return filters

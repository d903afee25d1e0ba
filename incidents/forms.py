"""Forms of the tip and incident pages.

The forms only collect and check input; nothing here saves. Each view hands the cleaned data to
one service (``incidents.services``), which validates again inside its transaction; the view maps
the service's ``ValidationError`` back onto these forms with ``apply_service_errors``.

The record forms depend on the chosen agreement (and cluster): partner units, communes, tips and
patrols are offered only from it. Changing the agreement or the cluster re-renders the form
(htmx, or the "update the lists" button without JavaScript) with the values typed so far.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from agreements import selectors as registry
from agreements.forms import DateInput, cap_choices, commune_label
from agreements.models import AdministrativeUnit, AdminLevel, Agreement, AgreementStatus, Cluster, Unit
from agreements.querysets import sees_everything, user_unit_ids
from borderzone.periods import Period
from patrols import selectors as patrol_selectors
from patrols.forms import candidate_units
from patrols.models import Patrol

from . import selectors
from .models import (
    CLEARED_STATUSES,
    Credibility,
    Incident,
    IncidentCategory,
    IncidentSource,
    IncidentStatus,
    Nature,
    Reliability,
    SourceKind,
    Tip,
    TipStatus,
)
from .services import INCIDENT_TRANSITIONS, TIP_TRANSITIONS

# Django's Vietnamese wording for these is awkward ("Nhập một số tổng thể"); say it plainly.
COUNT_ERRORS = {
    "invalid": _("Nhập số đối tượng bằng chữ số, ví dụ 3."),
    "min_value": _("Số đối tượng không thể âm."),
    "max_value": _("Số đối tượng tối đa là %(limit_value)s."),
}
YEAR_ERRORS = {
    "invalid": _("Nhập năm bằng số, ví dụ 2023."),
    "min_value": _("Năm phải từ %(limit_value)s trở về sau."),
    "max_value": _("Năm không được sau %(limit_value)s."),
}

# How many recent tips / patrols a record form lists for linking (already linked ones are always listed).
LINK_CHOICES_LIMIT = 40


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value travels as yyyy-mm-ddThh:mm (a vi input format)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def now_local() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def agreement_label(agreement: Agreement) -> str:
    return Truncator(str(agreement)).chars(90)


def tip_label(tip: Tip) -> str:
    received = timezone.localtime(tip.received_at)
    return f"#{tip.pk} · {received:%d/%m/%Y} · {tip.category.name} · {Truncator(tip.summary).chars(60)}"


def patrol_label(patrol: Patrol) -> str:
    started = timezone.localtime(patrol.started_at)
    return f"{patrol.programme or _('Tuần tra chung')} · {started:%d/%m/%Y %H:%M}"


def grouped_categories() -> list[tuple[str, list[tuple[int, str]]]]:
    """Categories under their group, for a select with option groups."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for category in selectors.categories():
        groups.setdefault(category.group, []).append((category.pk, category.name))
    return list(groups.items())


def _pk_of(value) -> int | None:
    if hasattr(value, "pk"):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _pks_of(values) -> list[int]:
    if values is None:
        return []
    if isinstance(values, str | int) or hasattr(values, "pk"):
        values = [values]
    return [pk for pk in (_pk_of(v) for v in values) if pk is not None]


def limited_choices(queryset, label, selected: list[int], limit: int = LINK_CHOICES_LIMIT):
    """The most recent ``limit`` rows plus those already selected (two small queries at most)."""
    rows = list(queryset[:limit])
    seen = {row.pk for row in rows}
    missing = [pk for pk in selected if pk not in seen]
    if missing:
        rows += list(queryset.filter(pk__in=missing))
    return [(row.pk, label(row)) for row in rows]


class RecordForm(forms.Form):
    """Agreement and cluster first; everything else is offered from them."""

    agreement = forms.ModelChoiceField(label=_("Quy chế phối hợp"), queryset=Agreement.objects.none(), empty_label=None)
    cluster = forms.ModelChoiceField(
        label=_("Cụm giáp ranh"),
        queryset=Cluster.objects.none(),
        required=False,
        empty_label=_("— Không thuộc cụm nào —"),
    )

    def __init__(self, data=None, *, user, fixed_agreement: Agreement | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.everything = sees_everything(user)
        self.own_unit_ids = user_unit_ids(user)
        field = self.fields["agreement"]
        field.label_from_instance = agreement_label
        if fixed_agreement is not None:
            field.queryset = Agreement.objects.filter(pk=fixed_agreement.pk)
            field.disabled = True
            self.initial["agreement"] = fixed_agreement.pk
            self.agreement = fixed_agreement
        else:
            agreements = Agreement.objects.visible_to(user)
            field.queryset = agreements
            self.agreement = self._chosen(agreements, "agreement") or (
                agreements.filter(status=AgreementStatus.IN_FORCE).first() or agreements.first()
            )
            if self.agreement is not None and not self.is_bound:
                self.initial["agreement"] = self.agreement.pk
        clusters = Cluster.objects.filter(agreement=self.agreement) if self.agreement else Cluster.objects.none()
        self.fields["cluster"].queryset = clusters
        self.cluster = self._chosen(clusters, "cluster")
        self.agreement_unit_ids = registry.agreement_unit_ids(agreement=self.agreement) if self.agreement else set()

    # Helpers ---------------------------------------------------------------------------------

    def raw(self, name: str):
        """The submitted value of a field, or its initial value on an unbound form."""
        if self.is_bound and not self.fields[name].disabled:
            return self.data.get(self.add_prefix(name))
        return self.initial.get(name)

    def raw_list(self, name: str) -> list[int]:
        if self.is_bound:
            return _pks_of(self.data.getlist(self.add_prefix(name)) if hasattr(self.data, "getlist")
                           else self.data.get(self.add_prefix(name)))
        return _pks_of(self.initial.get(name))

    def _chosen(self, queryset, name: str):
        pk = _pk_of(self.raw(name))
        return queryset.filter(pk=pk).first() if pk else None

    def commune_queryset(self):
        """Members of the chosen cluster, or every commune within a party's area."""
        if self.agreement is None:
            return AdministrativeUnit.objects.none()
        if self.cluster is not None:
            return registry.cluster_member_communes(cluster=self.cluster)
        return registry.communes_within_party_areas(agreement=self.agreement)

    def setup_commune(self, name: str = "commune") -> None:
        field = self.fields[name]
        field.queryset = self.commune_queryset()
        field.label_from_instance = commune_label
        if self.cluster is not None:
            field.help_text = _("Các xã, phường thành viên của cụm đã chọn.")
            field.error_messages["invalid_choice"] = _("Xã, phường này không phải thành viên của cụm đã chọn.")
        else:
            field.help_text = _("Các xã, phường thuộc địa bàn của các bên tham gia quy chế.")
            field.error_messages["invalid_choice"] = _("Xã, phường này nằm ngoài địa bàn của quy chế đã chọn.")

    def own_units(self):
        """Units the user may act for: his unit and those above it (every party's unit for administrators)."""
        if self.everything:
            return Unit.objects.filter(pk__in=self.agreement_unit_ids).order_by("name")
        return Unit.objects.filter(pk__in=self.own_unit_ids).order_by("name")

    def partner_units(self):
        """The other parties of the agreement and the units under them."""
        ids = set(self.agreement_unit_ids)
        if not self.everything:
            ids -= set(self.own_unit_ids)
        return Unit.objects.filter(pk__in=ids).order_by("name")


class TipForm(RecordForm):
    from_unit = forms.ModelChoiceField(label=_("Đơn vị cung cấp"), queryset=Unit.objects.none(), empty_label=None)
    to_unit = forms.ModelChoiceField(
        label=_("Chuyển cho đơn vị"), queryset=Unit.objects.none(), empty_label=_("— Chọn đơn vị bạn —")
    )
    received_at = forms.DateTimeField(label=_("Thời điểm tiếp nhận"), widget=DateTimeInput())
    source_kind = forms.ChoiceField(label=_("Nguồn tin từ"), choices=SourceKind.choices)
    category = forms.ModelChoiceField(
        label=_("Loại vụ việc"), queryset=IncidentCategory.objects.all(), empty_label=_("— Chọn loại —")
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none(), required=False,
        empty_label=_("— Chưa rõ —"),
    )
    summary = forms.CharField(
        label=_("Nội dung nguồn tin"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    reliability = forms.ChoiceField(label=_("Độ tin cậy của nguồn"), choices=Reliability.choices)
    credibility = forms.ChoiceField(label=_("Độ xác thực của tin"), choices=Credibility.choices)
    deadline = forms.DateField(
        label=_("Hạn xác minh"), widget=DateInput(), help_text=_("Mặc định 7 ngày kể từ hôm nay.")
    )

    field_order = [
        "agreement", "cluster", "from_unit", "to_unit", "received_at", "source_kind", "category", "commune",
        "summary", "reliability", "credibility", "deadline",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_unit"].queryset = self.own_units()
        self.fields["to_unit"].queryset = self.partner_units()
        self.fields["to_unit"].help_text = _("Đơn vị tiếp nhận, xác minh nguồn tin.")
        self.fields["category"].choices = [("", _("— Chọn loại —")), *grouped_categories()]
        self.setup_commune()

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "agreement": self.agreement,
            "cluster": data.get("cluster"),
            "from_unit": data["from_unit"],
            "to_unit": data["to_unit"],
            "received_at": data["received_at"],
            "source_kind": data["source_kind"],
            "category": data["category"],
            "commune": data.get("commune"),
            "summary": data["summary"].strip(),
            "reliability": data["reliability"],
            "credibility": data["credibility"],
            "deadline": data["deadline"],
        }


class IncidentForm(RecordForm):
    occurred_at = forms.DateTimeField(label=_("Thời điểm xảy ra"), widget=DateTimeInput())
    commune = forms.ModelChoiceField(
        label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none(), empty_label=_("— Chọn xã, phường —")
    )
    place = forms.CharField(label=_("Địa điểm cụ thể"), max_length=300, required=False)
    category = forms.ModelChoiceField(label=_("Loại vụ việc"), queryset=IncidentCategory.objects.all())
    nature = forms.ChoiceField(
        label=_("Tính chất"), required=False, help_text=_("Để trống: theo tính chất thường gặp của loại vụ việc.")
    )
    summary = forms.CharField(
        label=_("Tóm tắt vụ việc"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none(), empty_label=None)
    supporting_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"), queryset=Unit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.ChoiceField(label=_("Nguồn phát hiện"), choices=IncidentSource.choices)
    tips = forms.ModelMultipleChoiceField(
        label=_("Nguồn tin liên quan"), queryset=Tip.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    patrols = forms.ModelMultipleChoiceField(
        label=_("Ca tuần tra phát hiện"), queryset=Patrol.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=IncidentStatus.choices)
    solved_at = forms.DateTimeField(
        label=_("Thời điểm làm rõ"), widget=DateTimeInput(), required=False,
        help_text=_("Bắt buộc khi vụ việc đã làm rõ."),
    )
    suspects = forms.IntegerField(
        label=_("Số đối tượng"), min_value=0, max_value=10000, initial=0, error_messages=COUNT_ERRORS
    )
    suspects_dealt_with = forms.IntegerField(
        label=_("Số đối tượng bị bắt, xử lý"), min_value=0, max_value=10000, initial=0, error_messages=COUNT_ERRORS
    )
    outcome = forms.CharField(
        label=_("Kết quả xử lý"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    field_order = [
        "agreement", "cluster", "occurred_at", "commune", "place", "category", "nature", "summary", "lead_unit",
        "supporting_units", "source", "tips", "patrols", "status", "solved_at", "suspects", "suspects_dealt_with",
        "outcome",
    ]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_commune()
        self.fields["category"].choices = [("", _("— Chọn loại vụ việc —")), *grouped_categories()]
        self.fields["nature"].choices = [("", _("— Theo loại vụ việc —")), *Nature.choices]
        self.fields["lead_unit"].queryset = self.own_units()
        self.fields["supporting_units"].queryset = self.partner_units()
        self.fields["supporting_units"].help_text = _("Các đơn vị bạn trực tiếp tham gia giải quyết vụ việc.")
        agreement_id = self.agreement.pk if self.agreement else -1
        tips = selectors.tip_list(user=self.user, agreement_id=agreement_id).select_related(None).select_related(
            "category"
        )
        self.fields["tips"].queryset = tips
        self.fields["tips"].choices = limited_choices(tips, tip_label, self.raw_list("tips"))
        patrols = patrol_selectors.patrol_list(user=self.user, agreement_id=agreement_id).prefetch_related(None)
        patrols = patrols.select_related(None)
        if self.cluster is not None:
            patrols = patrols.filter(Q(cluster=self.cluster) | Q(pk__in=self.raw_list("patrols")))
        self.fields["patrols"].queryset = patrols
        self.fields["patrols"].choices = limited_choices(patrols, patrol_label, self.raw_list("patrols"))
        if editing:
            # Status changes go through the status form, which knows the allowed moves.
            del self.fields["status"]

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead_unit")
        supporting = cleaned.get("supporting_units")
        if lead is not None and supporting is not None:
            cleaned["supporting_units"] = [u for u in supporting if u.pk != lead.pk]
        return cleaned

    def service_values(self) -> dict:
        data = self.cleaned_data
        category = data["category"]
        values = {
            "cluster": data.get("cluster"),
            "occurred_at": data["occurred_at"],
            "commune": data["commune"],
            "place": data.get("place") or "",
            "category": category,
            "nature": data.get("nature") or category.default_nature,
            "summary": data.get("summary") or "",
            "lead_unit": data["lead_unit"],
            "source": data["source"],
            "solved_at": data.get("solved_at"),
            "suspects": data["suspects"],
            "suspects_dealt_with": data["suspects_dealt_with"],
            "outcome": data.get("outcome") or "",
        }
        if "status" in self.fields:
            values["status"] = data["status"]
        return values

    def links(self) -> dict:
        data = self.cleaned_data
        return {
            "supporting_units": list(data.get("supporting_units") or []),
            "tips": list(data.get("tips") or []),
            "patrols": list(data.get("patrols") or []),
        }


# Actions on the detail pages --------------------------------------------------------------------


class TipStatusForm(forms.Form):
    """The receiving unit moves a tip on; the button pressed carries the new status."""

    status = forms.ChoiceField(label=_("Trạng thái mới"), choices=TipStatus.choices)
    note = forms.CharField(
        label=_("Kết quả xác minh"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    jointly_verified = forms.BooleanField(
        label=_("Phối hợp xác minh"), required=False,
        help_text=_("Đánh dấu khi đơn vị bạn cùng tham gia kiểm tra, xác minh nguồn tin."),
    )

    def __init__(self, *args, tip: Tip, **kwargs):
        super().__init__(*args, **kwargs)
        self.tip = tip
        self.allowed = [s for s in TipStatus if s in TIP_TRANSITIONS[TipStatus(tip.status)]]
        self.fields["status"].choices = [(s.value, s.label) for s in self.allowed]
        if not self.is_bound:
            self.initial.setdefault("note", tip.verification_note)
            self.initial.setdefault("jointly_verified", tip.jointly_verified)

    def service_values(self) -> dict:
        data = self.cleaned_data
        status = data["status"]
        closing = status in (TipStatus.TRUE, TipStatus.FALSE)
        return {
            "status": status,
            "note": (data.get("note") or "").strip(),
            # Only a verdict says whether the verification was joint; other moves leave it as it is.
            "jointly_verified": bool(data.get("jointly_verified")) if closing else None,
        }


class TipLinkIncidentForm(forms.Form):
    incident = forms.ModelChoiceField(
        label=_("Vụ việc"), queryset=Incident.objects.none(), empty_label=_("— Chọn vụ việc —")
    )

    def __init__(self, *args, user, tip: Tip, **kwargs):
        super().__init__(*args, **kwargs)
        incidents = (
            selectors.incident_list(user=user, agreement_id=tip.agreement_id)
            .exclude(tips=tip)
            .select_related(None)
            .select_related("category", "commune")
        )
        field = self.fields["incident"]
        field.queryset = incidents
        field.label_from_instance = lambda i: (
            f"{timezone.localtime(i.occurred_at):%d/%m/%Y} · {i.category.name} · {i.commune.name}"
        )
        field.error_messages["invalid_choice"] = _("Chỉ liên kết được vụ việc cùng quy chế mà bạn được xem.")
        self.choices_limited = limited_choices(incidents, field.label_from_instance, [], limit=100)
        field.choices = [("", _("— Chọn vụ việc —")), *self.choices_limited]


class IncidentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Chuyển sang trạng thái"))
    solved_at = forms.DateTimeField(
        label=_("Thời điểm làm rõ"), widget=DateTimeInput(), required=False,
        help_text=_("Bắt buộc khi chuyển sang “Đã làm rõ”."),
    )
    suspects_dealt_with = forms.IntegerField(
        label=_("Số đối tượng bị bắt, xử lý"), min_value=0, max_value=10000, required=False,
        error_messages=COUNT_ERRORS,
    )
    outcome = forms.CharField(
        label=_("Kết quả xử lý"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = INCIDENT_TRANSITIONS[IncidentStatus(incident.status)]
        self.fields["status"].choices = [(s.value, s.label) for s in IncidentStatus if s in allowed]
        if not self.is_bound:
            self.initial.setdefault("solved_at", incident.solved_at or now_local())
            self.initial.setdefault("suspects_dealt_with", incident.suspects_dealt_with)

    def service_values(self) -> dict:
        data = self.cleaned_data
        cleared = data["status"] in CLEARED_STATUSES
        return {
            "status": data["status"],
            # The field is prefilled with "now" for convenience; it only means something for a cleared case.
            "solved_at": data.get("solved_at") if cleared else None,
            "suspects_dealt_with": data.get("suspects_dealt_with"),
            "outcome": (data.get("outcome") or "").strip(),
        }


# Filters of the lists ---------------------------------------------------------------------------

YES_NO = [("", _("Tất cả")), ("1", _("Có")), ("0", _("Không"))]


def _yes_no(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


class FilterForm(forms.Form):
    """GET filters; invalid input shows beside its field and is left out of the filtering."""

    nam = forms.IntegerField(
        label=_("Năm"), required=False, min_value=1990, max_value=2100, error_messages=YEAR_ERRORS
    )
    tu_ngay = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    den_ngay = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())
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
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)

    # Short inputs laid out two to a row on a phone.
    narrow_fields = ("nam", "trang_thai", "phoi_hop", "huong", "tinh_chat")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        agreements = Agreement.objects.visible_to(user)
        self.fields["quy_che"].queryset = agreements
        self.fields["quy_che"].label_from_instance = agreement_label
        self.fields["cum"].queryset = Cluster.objects.visible_to(user).order_by("name")
        for name in ("quy_che", "cum"):
            cap_choices(self.fields[name], self.data.get(name))
        self.fields["xa"].queryset = registry.filter_communes(user=user, record_communes=self.record_communes())
        cap_choices(self.fields["xa"], self.data.get("xa"))
        # The options offered stay as above, but any commune filters: a dashboard links to every commune
        # its figures count (for administrators, communes outside the clusters too).
        offered = list(self.fields["xa"].widget.choices)
        self.fields["xa"].queryset = AdministrativeUnit.objects.filter(level=AdminLevel.COMMUNE)
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
        units = candidate_units(self.user)
        self.fields["don_vi_gui"].queryset = units
        self.fields["don_vi_nhan"].queryset = units
        for name in ("don_vi_gui", "don_vi_nhan"):
            cap_choices(self.fields[name], self.data.get(name))
        self.fields["q"].help_text = _("Tìm trong nội dung nguồn tin và tên xã, phường; gõ có dấu hoặc không dấu.")

    def record_communes(self):
        return Tip.objects.visible_to(self.user).values("commune_id")

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
    lam_ro_tu = forms.DateField(label=_("Làm rõ từ ngày"), required=False, widget=DateInput())
    lam_ro_den = forms.DateField(label=_("Làm rõ đến ngày"), required=False, widget=DateInput())
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
    # The cluster rule of the figures (DESIGN §5): the commune was a member on the day it occurred.
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
        self.fields["don_vi"].queryset = candidate_units(self.user)
        self.fields["thanh_vien_cum"].queryset = self.fields["cum"].queryset
        for name in ("don_vi", "thanh_vien_cum"):
            cap_choices(self.fields[name], self.data.get(name))
        self.fields["q"].help_text = _(
            "Tìm trong tóm tắt, địa điểm, tên xã, phường và loại vụ việc; gõ có dấu hoặc không dấu."
        )

    def record_communes(self):
        return Incident.objects.visible_to(self.user).values("commune_id")

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

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
from agreements.forms import Scope, ScopeFormMixin, commune_label
from agreements.models import AdministrativeUnit, Agreement, AgreementStatus, Unit
from agreements.querysets import sees_everything, user_unit_ids
from borderzone.forms import BoundedDateField, BoundedDateTimeField, DateInput, DateTimeInput
from patrols import selectors as patrol_selectors
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

# How many recent tips / patrols a record form lists for linking (already linked ones are always listed).
LINK_CHOICES_LIMIT = 40


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


class RecordForm(ScopeFormMixin, forms.Form):
    """Agreement and cluster first, in one select; everything else is offered from them."""

    scope_help = _("Chọn cụm; chọn “Ngoài các cụm” khi hồ sơ không thuộc cụm nào của quy chế.")

    def __init__(self, data=None, *, user, fixed_agreement: Agreement | None = None, refresh=None, **kwargs):
        super().__init__(data, **kwargs)
        self.everything = sees_everything(user)
        self.own_unit_ids = user_unit_ids(user)
        # An incident keeps its agreement: its edit form offers only that agreement's clusters.
        self.setup_scope(user, refresh, agreement=fixed_agreement)
        scope = self.selected_scope()
        self.agreement = scope.agreement if scope else None
        self.cluster = scope.cluster if scope else None
        self.agreement_unit_ids = registry.agreement_unit_ids(agreement=self.agreement) if self.agreement else set()

    def default_scope(self) -> Scope | None:
        """Outside the clusters of the first agreement in force (else the newest one): the user picks a cluster."""
        agreements = self.scopes.agreements
        chosen = next((a for a in agreements if a.status == AgreementStatus.IN_FORCE), None) or next(
            iter(agreements), None
        )
        return Scope(agreement=chosen) if chosen else None

    # Helpers ---------------------------------------------------------------------------------

    def raw_list(self, name: str) -> list[int]:
        if self.is_bound:
            return _pks_of(self.data.getlist(self.add_prefix(name)) if hasattr(self.data, "getlist")
                           else self.data.get(self.add_prefix(name)))
        return _pks_of(self.initial.get(name))

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
            return registry.units_by_ids(ids=self.agreement_unit_ids)
        return registry.units_by_ids(ids=self.own_unit_ids)

    def partner_units(self):
        """The other parties of the agreement and the units under them."""
        ids = set(self.agreement_unit_ids)
        if not self.everything:
            ids -= set(self.own_unit_ids)
        return registry.units_by_ids(ids=ids)


class TipForm(RecordForm):
    from_unit = forms.ModelChoiceField(label=_("Đơn vị cung cấp"), queryset=Unit.objects.none(), empty_label=None)
    to_unit = forms.ModelChoiceField(
        label=_("Chuyển cho đơn vị"), queryset=Unit.objects.none(), empty_label=_("— Chọn đơn vị bạn —")
    )
    received_at = BoundedDateTimeField(label=_("Thời điểm tiếp nhận"), widget=DateTimeInput(), not_in_future=True)
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
    deadline = BoundedDateField(
        label=_("Hạn xác minh"), widget=DateInput(), help_text=_("Mặc định 7 ngày kể từ hôm nay.")
    )

    field_order = [
        "scope", "from_unit", "to_unit", "received_at", "source_kind", "category", "commune",
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
            "agreement": data["scope"].agreement,
            "cluster": data["scope"].cluster,
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
    occurred_at = BoundedDateTimeField(label=_("Thời điểm xảy ra"), widget=DateTimeInput(), not_in_future=True)
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
    solved_at = BoundedDateTimeField(
        label=_("Thời điểm làm rõ"), widget=DateTimeInput(), required=False, not_in_future=True,
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
        "scope", "occurred_at", "commune", "place", "category", "nature", "summary", "lead_unit",
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
            "cluster": data["scope"].cluster,
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
        if not sees_everything(user):
            # A link changes the incident, so only incidents the user may edit are offered (the rule of
            # ``permissions.can_edit``: its lead unit or a unit above it).
            incidents = incidents.filter(lead_unit_id__in=user_unit_ids(user))
        field = self.fields["incident"]
        field.queryset = incidents
        field.label_from_instance = lambda i: (
            f"{timezone.localtime(i.occurred_at):%d/%m/%Y} · {i.category.name} · {i.commune.name}"
        )
        field.error_messages["invalid_choice"] = _("Chỉ liên kết được vụ việc cùng quy chế do đơn vị bạn chủ trì.")
        self.choices_limited = limited_choices(incidents, field.label_from_instance, [], limit=100)
        field.choices = [("", _("— Chọn vụ việc —")), *self.choices_limited]


class IncidentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Chuyển sang trạng thái"))
    solved_at = BoundedDateTimeField(
        label=_("Thời điểm làm rõ"), widget=DateTimeInput(), required=False, not_in_future=True,
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

"""Forms of the patrol, campaign and checkpoint pages.

The forms only collect and check input; nothing here saves. Each view hands the cleaned data to
one service (``patrols.services``), which validates again inside its transaction; the view maps
the service's ``ValidationError`` back onto these forms (``borderzone.forms.apply_service_errors``).

A record belongs to a cluster or, outside every cluster, to an agreement. Both are picked in one
select (``agreements.forms.ScopeFormMixin``), so the agreement always follows from the cluster and
the two can never disagree. The list filters are in ``filters``.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from agreements import selectors as registry
from agreements.forms import Scope, ScopeFormMixin, commune_label, scope_communes, scope_units
from agreements.models import AdministrativeUnit, Unit
from agreements.querysets import officer_of, sees_everything
from borderzone.forms import BoundedDateField, BoundedDateTimeField, DateInput, DateTimeInput, RowsFormSet

from .models import PatrolStatus
from .services import ParticipationData

# Joint patrols ----------------------------------------------------------------------------------


class CommuneChecks(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return commune_label(obj)


class PatrolForm(ScopeFormMixin, forms.Form):
    programme = forms.CharField(
        label=_("Mô hình tuần tra"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: “Tuyến biển bình yên”. Để trống nếu là ca tuần tra thường."),
        widget=forms.TextInput(attrs={"list": "programme-names", "autocomplete": "off"}),
    )
    started_at = BoundedDateTimeField(label=_("Bắt đầu"), widget=DateTimeInput(), not_in_future=True)
    ended_at = BoundedDateTimeField(label=_("Kết thúc"), widget=DateTimeInput(), not_in_future=True)
    communes = CommuneChecks(
        label=_("Xã, phường đi qua"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": _("Xã, phường đã chọn không thuộc cụm hoặc địa bàn của quy chế.")},
    )
    route = forms.CharField(
        label=_("Tuyến, địa bàn tuần tra"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    findings = forms.CharField(
        label=_("Kết quả, tình hình phát hiện"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[(PatrolStatus.DONE, PatrolStatus.DONE.label), (PatrolStatus.PLANNED, PatrolStatus.PLANNED.label)],
        initial=PatrolStatus.DONE,
        widget=forms.RadioSelect,
    )
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none())

    def __init__(self, *args, user, patrol=None, refresh=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_scope(user, refresh)
        self.patrol = patrol
        if patrol is None and not self.is_bound and refresh is None:
            self.initial = {**patrol_initial(user), **self.initial}
        if patrol is not None:
            del self.fields["lead_unit"]  # the lead unit is who owns the record; it does not change
            if patrol.status == PatrolStatus.CONFIRMED:
                # Stays "done": the service turns a changed confirmed patrol back into one awaiting confirmation.
                del self.fields["status"]
        else:
            lead = self.fields["lead_unit"]
            if sees_everything(user):
                lead.queryset = registry.candidate_units(user=user)
            else:
                lead.queryset = registry.own_units(user=user)
            lead.empty_label = None
            lead.help_text = _("Đơn vị của bạn ghi nhận và chịu trách nhiệm về ca tuần tra này.")
        self._setup_communes()

    @cached_property
    def single_lead_unit(self) -> Unit | None:
        """The only unit the user may lead for, shown as text instead of a select."""
        if "lead_unit" not in self.fields:
            return None
        units = list(self.fields["lead_unit"].queryset[:2])
        return units[0] if len(units) == 1 else None

    def selected_day(self) -> datetime.date:
        raw = self._source_value("started_at")
        if isinstance(raw, datetime.datetime):
            return timezone.localdate(raw) if timezone.is_aware(raw) else raw.date()
        if raw:
            try:
                value = self.fields["started_at"].clean(raw)
            except ValidationError:
                value = None
            if value is not None:
                return timezone.localdate(value)
        return timezone.localdate()

    def _setup_communes(self) -> None:
        field = self.fields["communes"]
        scope = self.selected_scope()
        field.queryset = scope_communes(scope)
        # Shown: the cluster's members on the patrol's day (or the parties' areas outside a
        # cluster), plus whatever is already ticked so a typed value never disappears.
        source = self._source()
        if source is None:
            ticked = [str(getattr(c, "pk", c)) for c in (self.initial.get("communes") or [])]
        elif hasattr(source, "getlist"):
            ticked = [str(v) for v in source.getlist(self.add_prefix("communes"))]
        else:
            ticked = [str(v) for v in source.get(self.add_prefix("communes")) or []]
        if scope is None:
            shown = AdministrativeUnit.objects.none()
        elif scope.cluster is not None:
            day = self.selected_day()
            ticked_ids = [int(v) for v in ticked if v.isdecimal()]
            shown = field.queryset.filter(
                Q(pk__in=registry.cluster_communes_on(cluster=scope.cluster, day=day).values("pk"))
                | Q(pk__in=ticked_ids)
            )
        else:
            shown = field.queryset
        field.widget.choices = [(c.pk, commune_label(c)) for c in shown]
        self.commune_scope = scope

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("started_at"), cleaned.get("ended_at")
        if start and end and end < start:
            self.add_error("ended_at", _("Thời điểm kết thúc phải sau thời điểm bắt đầu."))
        return cleaned

    def service_values(self) -> dict:
        data = self.cleaned_data
        scope: Scope = data["scope"]
        values = {
            "agreement": scope.agreement,
            "cluster": scope.cluster,
            "programme": (data.get("programme") or "").strip(),
            "started_at": data["started_at"],
            "ended_at": data["ended_at"],
            "communes": list(data.get("communes") or []),
            "route": data.get("route") or "",
            "findings": data.get("findings") or "",
        }
        if "status" in self.fields:
            values["status"] = data["status"]
        if "lead_unit" in self.fields:
            values["lead_unit"] = data["lead_unit"]
        return values


def patrol_initial(user) -> dict:
    """Today, from two hours ago (not before midnight) until now, led by the user's unit."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    initial = {
        "started_at": max(now - datetime.timedelta(hours=2), midnight),
        "ended_at": now,
        "status": PatrolStatus.DONE,
    }
    officer = officer_of(user)
    if officer is not None:
        initial["lead_unit"] = officer.unit_id
    return initial


def patrol_initial_from(patrol) -> dict:
    return {
        "scope": Scope(agreement=patrol.agreement, cluster=patrol.cluster).value,
        "programme": patrol.programme,
        "started_at": timezone.localtime(patrol.started_at),
        "ended_at": timezone.localtime(patrol.ended_at),
        "communes": list(patrol.communes.all()),
        "route": patrol.route,
        "findings": patrol.findings,
        "status": PatrolStatus.DONE if patrol.status == PatrolStatus.CONFIRMED else patrol.status,
    }


class ParticipationForm(forms.Form):
    # A unit id outside the choices is refused without its name: ids can be typed.
    unit = forms.ModelChoiceField(
        label=_("Đơn vị tham gia"), queryset=Unit.objects.none(), required=False,
        error_messages={"invalid_choice": _("Chọn một đơn vị trong danh sách.")},
    )
    officers = forms.IntegerField(
        label=_("Số cán bộ, chiến sĩ"),
        required=False,
        min_value=1,
        max_value=9999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        error_messages={
            "min_value": _("Số cán bộ, chiến sĩ phải lớn hơn 0."),
            "max_value": _("Số cán bộ, chiến sĩ quá lớn."),
            "invalid": _("Nhập số cán bộ, chiến sĩ bằng chữ số."),
        },
    )

    def __init__(self, *args, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.empty_label = _("— Chọn đơn vị —")
        if unit_choices is not None:
            # Only the offered units are accepted; the choices were read once for the whole formset.
            offered = [pk for pk, _label in unit_choices if pk != ""]
            field.queryset = Unit.objects.filter(pk__in=offered)
            field.choices = unit_choices

    def clean(self):
        cleaned = super().clean()
        unit, officers = cleaned.get("unit"), cleaned.get("officers")
        if unit and officers is None and "officers" not in self.errors:
            self.add_error("officers", _("Nhập số cán bộ, chiến sĩ của đơn vị này."))
        if officers is not None and not unit and "unit" not in self.errors:
            self.add_error("unit", _("Chọn đơn vị."))
        return cleaned


class BaseParticipationFormSet(RowsFormSet):
    """Units taking part with their officer counts; empty rows are left out."""

    SERVICE_ERROR_KEYS = ("participations", "unit", "officers")

    def __init__(self, *args, user=None, extra_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.extra_units = list(extra_units)
        self._unit_choices = None

    def unit_choices(self) -> list:
        if self._unit_choices is None:
            units = {u.pk: u for u in registry.candidate_units(user=self.user)}
            for unit in self.extra_units:
                units.setdefault(unit.pk, unit)
            ordered = sorted(units.values(), key=lambda u: (u.name, u.pk))
            self._unit_choices = [("", _("— Chọn đơn vị —"))] + [(u.pk, u.name) for u in ordered]
        return self._unit_choices

    def get_form_kwargs(self, index):
        # Every row is validated, also an unchanged prefilled one (all its fields are optional anyway).
        return {**super().get_form_kwargs(index), "unit_choices": self.unit_choices(), "empty_permitted": False}

    def _kept_forms(self):
        for form in self.forms:
            if hasattr(form, "cleaned_data") and form.cleaned_data.get("unit"):
                yield form

    def clean(self):
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self._kept_forms():
            unit = form.cleaned_data["unit"]
            if unit.pk in seen:
                form.add_error("unit", _("Đơn vị này đã được khai báo ở dòng trên."))
            seen.add(unit.pk)
        if not seen:
            raise ValidationError(
                _("Nhập ít nhất một đơn vị tham gia và số cán bộ, chiến sĩ."), code="no_participation"
            )

    def rows(self) -> list[ParticipationData]:
        return [
            ParticipationData(unit=form.cleaned_data["unit"], officers=form.cleaned_data["officers"])
            for form in self._kept_forms()
        ]


ParticipationFormSet = forms.formset_factory(ParticipationForm, formset=BaseParticipationFormSet, extra=1)
PARTICIPATION_PREFIX = "don_vi"


def participation_formset(data=None, *, user, patrol=None):
    """Rows of the patrol's units (or the user's own unit on a new patrol) plus empty ones."""
    if patrol is not None:
        participations = list(patrol.participations.all())
        initial = [{"unit": p.unit_id, "officers": p.officers} for p in participations]
        extra_units = [p.unit for p in participations]
    else:
        officer = officer_of(user)
        initial = [{"unit": officer.unit_id}] if officer is not None else []
        extra_units = [officer.unit] if officer is not None else []
    return ParticipationFormSet(data, initial=initial, prefix=PARTICIPATION_PREFIX, user=user, extra_units=extra_units)


# Campaigns and checkpoints ----------------------------------------------------------------------


class UnitChecks(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActivityForm(ScopeFormMixin, forms.Form):
    """A campaign or a checkpoint: where (the scope), from when to when, and the units taking part.

    The units offered are the parties of the chosen scope's agreement and their units; the end
    (optional on a checkpoint) may not come before the start.
    """

    units = UnitChecks(
        label=_("Đơn vị tham gia"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": _("Đơn vị đã chọn không thuộc các bên của quy chế.")},
    )

    def __init__(self, *args, user, refresh=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_scope(user, refresh)
        self.fields["units"].queryset = scope_units(self.selected_scope())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned

    def scope_values(self) -> dict:
        data = self.cleaned_data
        return {
            "agreement": data["scope"].agreement,
            "cluster": data["scope"].cluster,
            "starts_on": data["starts_on"],
            "ends_on": data.get("ends_on"),
            "units": list(data.get("units") or []),
        }


class CampaignForm(ActivityForm):
    name = forms.CharField(
        label=_("Tên đợt cao điểm"),
        max_length=300,
        help_text=_("Ví dụ: Đợt cao điểm tấn công trấn áp tội phạm dịp Tết Nguyên đán."),
    )
    starts_on = BoundedDateField(label=_("Từ ngày"), widget=DateInput())
    ends_on = BoundedDateField(label=_("Đến ngày"), widget=DateInput())
    targets = forms.CharField(label=_("Mục tiêu, chỉ tiêu"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    results = forms.CharField(label=_("Kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            **self.scope_values(),
            "name": data["name"].strip(),
            "targets": data.get("targets") or "",
            "results": data.get("results") or "",
        }


class CheckpointForm(ActivityForm):
    place = forms.CharField(
        label=_("Vị trí chốt"), max_length=300, help_text=_("Ví dụ: Đường liên xã giáp ranh, thôn Đông.")
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, phường"),
        queryset=AdministrativeUnit.objects.none(),
        error_messages={"invalid_choice": _("Xã, phường đã chọn không thuộc cụm hoặc địa bàn của quy chế.")},
    )
    purpose = forms.CharField(
        label=_("Mục đích"),
        max_length=300,
        help_text=_("Ví dụ: Kiểm soát phòng, chống dịch; chống vận chuyển khoáng sản trái phép."),
    )
    starts_on = BoundedDateField(label=_("Từ ngày"), widget=DateInput())
    ends_on = BoundedDateField(
        label=_("Đến ngày"), required=False, widget=DateInput(), help_text=_("Để trống nếu chốt còn hoạt động.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        commune.queryset = scope_communes(self.selected_scope())
        commune.label_from_instance = commune_label
        commune.empty_label = _("— Chọn xã, phường —")

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            **self.scope_values(),
            "place": data["place"].strip(),
            "commune": data["commune"],
            "purpose": data["purpose"].strip(),
        }

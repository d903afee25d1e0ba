"""Forms of the patrol, campaign and checkpoint pages.

The forms only collect and check input; nothing here saves. Each view hands the cleaned data to
one service (``patrols.services``), which validates again inside its transaction; the view maps
the service's ``ValidationError`` back onto these forms with :func:`apply_service_errors`.

A record belongs to a cluster or, outside every cluster, to an agreement. Both are picked in one
select (``scope``: the visible agreements as groups, their clusters as options), so the agreement
always follows from the cluster and the two can never disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from agreements import selectors as registry
from agreements.forms import DateInput, cap_choices, commune_label
from agreements.models import AdministrativeUnit, AdminLevel, Agreement, Cluster, ClusterMember, Unit
from agreements.querysets import officer_of, record_scope, sees_everything
from borderzone.periods import Period

from .models import PatrolStatus
from .services import ParticipationData

SCOPE_CLUSTER = "c"
SCOPE_AGREEMENT = "a"


class DateTimeLocalInput(forms.DateTimeInput):
    """The phone's own date-and-time picker; the value travels as yyyy-mm-ddThh:mm (a vi input format)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


# Where a record happened: agreement and cluster -------------------------------------------------


@dataclass(frozen=True)
class Scope:
    agreement: Agreement
    cluster: Cluster | None = None

    @property
    def value(self) -> str:
        if self.cluster is not None:
            return f"{SCOPE_CLUSTER}{self.cluster.pk}"
        return f"{SCOPE_AGREEMENT}{self.agreement.pk}"


def agreement_label(agreement: Agreement) -> str:
    title = Truncator(agreement.title).chars(70)
    return f"{agreement.number} – {title}" if agreement.number else title


class ScopeChoices:
    """The agreements and clusters a user may record under, read once per form (two queries)."""

    def __init__(self, user):
        self.agreements = list(Agreement.objects.visible_to(user).order_by("-signed_on", "-pk"))
        by_agreement: dict[int, list[Cluster]] = {}
        for cluster in Cluster.objects.visible_to(user).order_by("name", "pk"):
            by_agreement.setdefault(cluster.agreement_id, []).append(cluster)
        self.clusters_of = by_agreement
        self._agreements = {a.pk: a for a in self.agreements}
        self._clusters = {c.pk: c for group in by_agreement.values() for c in group}
        for cluster in self._clusters.values():
            cluster.agreement = self._agreements.get(cluster.agreement_id, cluster.agreement)

    def choices(self, empty_label) -> list:
        choices: list = [("", empty_label)]
        for agreement in self.agreements:
            options = [(f"{SCOPE_CLUSTER}{c.pk}", c.name) for c in self.clusters_of.get(agreement.pk, [])]
            short = agreement.number or Truncator(agreement.title).chars(30)
            outside = _("Ngoài các cụm – %(agreement)s") % {"agreement": short}
            options.append((f"{SCOPE_AGREEMENT}{agreement.pk}", outside))
            choices.append((agreement_label(agreement), options))
        return choices

    def resolve(self, value) -> Scope | None:
        value = str(value or "")
        kind, number = value[:1], value[1:]
        if not number.isdigit():
            return None
        if kind == SCOPE_CLUSTER and int(number) in self._clusters:
            cluster = self._clusters[int(number)]
            return Scope(agreement=cluster.agreement, cluster=cluster)
        if kind == SCOPE_AGREEMENT and int(number) in self._agreements:
            return Scope(agreement=self._agreements[int(number)])
        return None

    @property
    def all_clusters(self) -> list[Cluster]:
        return [c for a in self.agreements for c in self.clusters_of.get(a.pk, [])]

    def default_for(self, user) -> Scope | None:
        """The cluster holding the user's unit's area when there is exactly one, else the first one shown."""
        clusters = self.all_clusters
        officer = officer_of(user)
        if officer is not None and clusters:
            area = officer.unit.area_id
            today = timezone.localdate()
            holding = set(
                ClusterMember.objects.filter(cluster__in=[c.pk for c in clusters], valid_from__lte=today)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
                .filter(Q(commune_id=area) | Q(commune__parent_id=area) | Q(commune__parent__parent_id=area))
                .values_list("cluster_id", flat=True)
            )
            if len(holding) == 1:
                cluster = self._clusters[holding.pop()]
                return Scope(agreement=cluster.agreement, cluster=cluster)
        if clusters:
            return Scope(agreement=clusters[0].agreement, cluster=clusters[0])
        if len(self.agreements) == 1:
            return Scope(agreement=self.agreements[0])
        return None


def units_under(agreements):
    """Party units of the agreements and the units under them (two levels): they may take part."""
    return (
        Unit.objects.filter(
            Q(party_to__agreement__in=agreements)
            | Q(parent__party_to__agreement__in=agreements)
            | Q(parent__parent__party_to__agreement__in=agreements)
        )
        .distinct()
        .order_by("name", "pk")
    )


def candidate_units(user):
    if sees_everything(user):
        return Unit.objects.order_by("name", "pk")
    return units_under(record_scope(user)["agreements"])


def scope_communes(scope: Scope | None):
    """Communes a record under ``scope`` may name: the cluster's members (any time) and the parties' areas.

    The service checks the exact rule (a member on that day); accepting the wider set here lets it
    answer with its own message ("… không thuộc cụm vào ngày …").
    """
    if scope is None:
        return AdministrativeUnit.objects.none()
    within = registry.communes_within_party_areas(agreement=scope.agreement).values("pk")
    condition = Q(pk__in=within)
    if scope.cluster is not None:
        condition |= Q(cluster_memberships__cluster=scope.cluster)
    return (
        AdministrativeUnit.objects.filter(condition)
        .distinct()
        .select_related("parent__parent")
        .order_by("name", "era", "code")
    )


class ScopeFormMixin:
    """Adds the ``scope`` select and works out the scope the dependent fields are drawn from.

    ``refresh`` is the query string of an htmx request that re-draws the dependent fields after
    the user picked another cluster: the form then reads the scope from it instead of its data.
    """

    scope_label = _("Cụm giáp ranh / quy chế phối hợp")
    scope_help = _("Chọn cụm; chọn “Ngoài các cụm” khi hoạt động không thuộc cụm nào của quy chế.")

    def setup_scope(self, user, refresh=None) -> None:
        self.user = user
        self.scopes = ScopeChoices(user)
        self.refresh = refresh
        field = forms.ChoiceField(
            label=self.scope_label,
            help_text=self.scope_help,
            choices=self.scopes.choices(_("— Chọn cụm hoặc quy chế —")),
            error_messages={
                "required": _("Chọn cụm giáp ranh hoặc quy chế phối hợp."),
                "invalid_choice": _("Cụm hoặc quy chế đã chọn không còn trong phạm vi của bạn."),
            },
        )
        self.fields = {"scope": field, **{k: v for k, v in self.fields.items() if k != "scope"}}
        if refresh is not None:
            # Re-drawn fields show what the user had already picked.
            for name, form_field in self.fields.items():
                key = self.add_prefix(name)
                if key not in refresh:
                    continue
                multiple = getattr(form_field.widget, "allow_multiple_selected", False) and hasattr(refresh, "getlist")
                self.initial[name] = refresh.getlist(key) if multiple else refresh.get(key)
        if not self.is_bound and refresh is None and not self.initial.get("scope"):
            default = self.scopes.default_for(user)
            if default is not None:
                self.initial["scope"] = default.value

    def _source(self):
        if self.refresh is not None:
            return self.refresh
        if self.is_bound:
            return self.data
        return None

    def _source_value(self, name: str):
        source = self._source()
        if source is None:
            value = self.initial.get(name, self.fields[name].initial if name in self.fields else None)
            return value() if callable(value) else value
        return source.get(self.add_prefix(name))

    def selected_scope(self) -> Scope | None:
        return self.scopes.resolve(self._source_value("scope"))

    def clean_scope(self) -> Scope:
        scope = self.scopes.resolve(self.cleaned_data["scope"])
        if scope is None:
            raise ValidationError(self.fields["scope"].error_messages["invalid_choice"], code="invalid_choice")
        return scope


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
    started_at = forms.DateTimeField(label=_("Bắt đầu"), widget=DateTimeLocalInput())
    ended_at = forms.DateTimeField(label=_("Kết thúc"), widget=DateTimeLocalInput())
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

    # Field names the service uses in its ValidationError → the field shown on this form.
    SERVICE_FIELDS = {"cluster": "scope", "agreement": "scope", "lead_unit": "lead_unit"}

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
                lead.queryset = candidate_units(user)
            else:
                lead.queryset = Unit.objects.filter(pk__in=record_scope(user)["own_units"]).order_by("name")
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
            ticked_ids = [int(v) for v in ticked if v.isdigit()]
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
    unit = forms.ModelChoiceField(label=_("Đơn vị tham gia"), queryset=Unit.objects.none(), required=False)
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
        field.queryset = Unit.objects.all()
        field.empty_label = _("— Chọn đơn vị —")
        if unit_choices is not None:
            # One query for the whole formset instead of one per row.
            field.choices = unit_choices

    def clean(self):
        cleaned = super().clean()
        unit, officers = cleaned.get("unit"), cleaned.get("officers")
        if unit and officers is None and "officers" not in self.errors:
            self.add_error("officers", _("Nhập số cán bộ, chiến sĩ của đơn vị này."))
        if officers is not None and not unit and "unit" not in self.errors:
            self.add_error("unit", _("Chọn đơn vị."))
        return cleaned


class BaseParticipationFormSet(forms.BaseFormSet):
    """Units taking part with their officer counts; empty rows are left out."""

    def __init__(self, *args, user=None, extra_units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.extra_units = list(extra_units)
        self._unit_choices = None

    def unit_choices(self) -> list:
        if self._unit_choices is None:
            units = {u.pk: u for u in candidate_units(self.user)}
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

    def add_non_form_errors(self, messages) -> None:
        errors = list(self.non_form_errors()) + [str(m) for m in messages]
        self._non_form_errors = self.error_class(errors, error_class="nonform", renderer=self.renderer)


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


# Fields of the participation rows: a service error keyed by one of these belongs to the formset.
PARTICIPATION_ERROR_KEYS = ("participations", "unit", "officers")


def apply_service_errors(exc: ValidationError, form: forms.BaseForm, formset=None) -> None:
    """Put a service's ValidationError beside the field it names, so the page shows it where it belongs."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    renamed = getattr(form, "SERVICE_FIELDS", {})
    for key, errors in exc.message_dict.items():
        name = renamed.get(key, key)
        if name in form.fields:
            form.add_error(name, errors)
        elif formset is not None and key in PARTICIPATION_ERROR_KEYS:
            formset.add_non_form_errors(errors)
        else:
            form.add_error(None, errors)


# The patrol list's filters ----------------------------------------------------------------------


def year_choices() -> list:
    this_year = timezone.localdate().year
    return [("", _("Tất cả các năm"))] + [(y, str(y)) for y in range(this_year, 2009, -1)]


class PatrolFilterForm(forms.Form):
    """The list's filters, read from the query string; an invalid one is reported and left out."""

    q = forms.CharField(
        label=_("Tìm kiếm"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Mô hình, tuyến, xã, đơn vị…")}),
    )
    nam = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None)
    tu_ngay = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    den_ngay = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())
    quy_che = forms.ModelChoiceField(label=_("Quy chế phối hợp"), queryset=Agreement.objects.none(), required=False)
    cum = forms.ModelChoiceField(label=_("Cụm giáp ranh"), queryset=Cluster.objects.none(), required=False)
    xa = forms.ModelChoiceField(label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none(), required=False)
    don_vi = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), required=False)
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả"))] + PatrolStatus.choices, required=False
    )
    mo_hinh = forms.CharField(
        label=_("Mô hình tuần tra"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "programme-names", "autocomplete": "off"}),
    )

    ADVANCED = ("nam", "tu_ngay", "den_ngay", "quy_che", "cum", "xa", "don_vi", "trang_thai", "mo_hinh")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = year_choices()
        agreements = Agreement.objects.visible_to(user).order_by("-signed_on", "-pk")
        agreement = self.fields["quy_che"]
        agreement.queryset = agreements
        agreement.empty_label = _("Tất cả")
        agreement.label_from_instance = agreement_label
        clusters = Cluster.objects.visible_to(user).order_by("name", "pk")
        self.fields["cum"].queryset = clusters
        self.fields["cum"].empty_label = _("Tất cả")
        commune = self.fields["xa"]
        commune.queryset = registry.filter_communes(user=user)
        commune.label_from_instance = commune_label
        commune.empty_label = _("Tất cả")
        self.fields["don_vi"].queryset = candidate_units(user)
        self.fields["don_vi"].empty_label = _("Tất cả")
        for name in ("quy_che", "cum", "xa", "don_vi"):
            cap_choices(self.fields[name], self.data.get(name))
        # The options offered stay the clusters' communes, but any commune filters: a dashboard links to
        # every commune its figures count, outside the clusters too (the list is still the user's).
        offered = list(commune.widget.choices)
        commune.queryset = AdministrativeUnit.objects.filter(level=AdminLevel.COMMUNE)
        commune.widget.choices = offered

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        if start and end and end < start:
            self.add_error("den_ngay", _("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
        return cleaned

    def _value(self, name):
        """A field's cleaned value, or nothing when the field is missing or invalid."""
        if not self.is_bound:
            return None
        self.is_valid()
        if name in self.errors:
            return None
        return self.cleaned_data.get(name)

    def period(self) -> Period | None:
        year, start, end = self._value("nam"), self._value("tu_ngay"), self._value("den_ngay")
        if "den_ngay" in self.errors:
            start = end = None  # an inverted range filters nothing rather than half of it
        return Period.between(start, end, year=year)

    def selector_kwargs(self) -> dict:
        def pk(name):
            obj = self._value(name)
            return obj.pk if obj is not None else None

        return {
            "period": self.period(),
            "agreement_id": pk("quy_che"),
            "cluster_id": pk("cum"),
            "commune_id": pk("xa"),
            "unit_id": pk("don_vi"),
            "status": self._value("trang_thai") or "",
            "programme": (self._value("mo_hinh") or "").strip(),
            "q": (self._value("q") or "").strip(),
        }

    @property
    def advanced_used(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.ADVANCED)


# Campaigns and checkpoints ----------------------------------------------------------------------


class UnitChecks(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def units_of(scope: Scope | None):
    """Units that may take part in an activity of the scope: the parties of its agreement, and their units."""
    return units_under([scope.agreement.pk]) if scope is not None else Unit.objects.none()


class DateSpanMixin:
    """A ``starts_on`` – ``ends_on`` pair (the end optional): the end may not come before the start."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned


class CampaignForm(DateSpanMixin, ScopeFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên đợt cao điểm"),
        max_length=300,
        help_text=_("Ví dụ: Đợt cao điểm tấn công trấn áp tội phạm dịp Tết Nguyên đán."),
    )
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DateInput())
    units = UnitChecks(
        label=_("Đơn vị tham gia"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": _("Đơn vị đã chọn không thuộc các bên của quy chế.")},
    )
    targets = forms.CharField(label=_("Mục tiêu, chỉ tiêu"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    results = forms.CharField(label=_("Kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    SERVICE_FIELDS = {"cluster": "scope", "agreement": "scope"}

    def __init__(self, *args, user, refresh=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_scope(user, refresh)
        scope = self.selected_scope()
        self.fields["units"].queryset = units_of(scope)

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "agreement": data["scope"].agreement,
            "cluster": data["scope"].cluster,
            "name": data["name"].strip(),
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "units": list(data.get("units") or []),
            "targets": data.get("targets") or "",
            "results": data.get("results") or "",
        }


class CheckpointForm(DateSpanMixin, ScopeFormMixin, forms.Form):
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
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Đến ngày"), required=False, widget=DateInput(), help_text=_("Để trống nếu chốt còn hoạt động.")
    )
    units = UnitChecks(
        label=_("Đơn vị tham gia"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": _("Đơn vị đã chọn không thuộc các bên của quy chế.")},
    )

    SERVICE_FIELDS = {"cluster": "scope", "agreement": "scope"}

    def __init__(self, *args, user, refresh=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_scope(user, refresh)
        scope = self.selected_scope()
        commune = self.fields["commune"]
        commune.queryset = scope_communes(scope)
        commune.label_from_instance = commune_label
        commune.empty_label = _("— Chọn xã, phường —")
        self.fields["units"].queryset = units_of(scope)

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "agreement": data["scope"].agreement,
            "cluster": data["scope"].cluster,
            "place": data["place"].strip(),
            "commune": data["commune"],
            "purpose": data["purpose"].strip(),
            "starts_on": data["starts_on"],
            "ends_on": data.get("ends_on"),
            "units": list(data.get("units") or []),
        }


class RecordFilterForm(forms.Form):
    """Filters of the campaign and checkpoint lists."""

    nam = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None)
    quy_che = forms.ModelChoiceField(label=_("Quy chế phối hợp"), queryset=Agreement.objects.none(), required=False)

    def __init__(self, *args, user, with_year=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_year:
            self.fields["nam"].choices = year_choices()
        else:
            del self.fields["nam"]
        agreement = self.fields["quy_che"]
        agreement.queryset = Agreement.objects.visible_to(user).order_by("-signed_on", "-pk")
        agreement.empty_label = _("Tất cả")
        agreement.label_from_instance = agreement_label

    def value(self, name):
        if not self.is_bound or name not in self.fields:
            return None
        self.is_valid()
        return None if name in self.errors else self.cleaned_data.get(name)

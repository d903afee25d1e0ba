"""Filters of the patrol, campaign and checkpoint lists, read from the query string.

An invalid filter is reported beside its field and left out of the filtering; the options come
from the registry's selectors (what the user may see).
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import selectors as registry
from agreements.forms import agreement_label, commune_label
from agreements.models import AdministrativeUnit, Agreement, Cluster, Unit
from borderzone.forms import SEARCH_ERRORS, BoundedDateField, DateInput, cap_choices
from borderzone.periods import Period

from .models import PatrolStatus

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
        error_messages=SEARCH_ERRORS,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Mô hình, tuyến, xã, đơn vị…")}),
    )
    nam = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False, empty_value=None)
    tu_ngay = BoundedDateField(label=_("Từ ngày"), required=False, widget=DateInput())
    den_ngay = BoundedDateField(label=_("Đến ngày"), required=False, widget=DateInput())
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
        error_messages=SEARCH_ERRORS,
        widget=forms.TextInput(attrs={"list": "programme-names", "autocomplete": "off"}),
    )

    ADVANCED = ("nam", "tu_ngay", "den_ngay", "quy_che", "cum", "xa", "don_vi", "trang_thai", "mo_hinh")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = year_choices()
        agreements = registry.agreement_choices(user=user)
        agreement = self.fields["quy_che"]
        agreement.queryset = agreements
        agreement.empty_label = _("Tất cả")
        agreement.label_from_instance = agreement_label
        clusters = registry.cluster_choices(user=user)
        self.fields["cum"].queryset = clusters
        self.fields["cum"].empty_label = _("Tất cả")
        commune = self.fields["xa"]
        commune.queryset = registry.filter_communes(user=user)
        commune.label_from_instance = commune_label
        commune.empty_label = _("Tất cả")
        self.fields["don_vi"].queryset = registry.candidate_units(user=user)
        self.fields["don_vi"].empty_label = _("Tất cả")
        for name in ("quy_che", "cum", "xa", "don_vi"):
            cap_choices(self.fields[name], self.data.get(name))
        # The options offered stay the clusters' communes, but any commune filters: a dashboard links to
        # every commune its figures count, outside the clusters too (the list is still the user's).
        offered = list(commune.widget.choices)
        commune.queryset = registry.communes()
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
        agreement.queryset = registry.agreement_choices(user=user)
        agreement.empty_label = _("Tất cả")
        agreement.label_from_instance = agreement_label

    def value(self, name):
        if not self.is_bound or name not in self.fields:
            return None
        self.is_valid()
        return None if name in self.errors else self.cleaned_data.get(name)

"""The shared form layer: where a service's refusal shows, and the values a redrawn form keeps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from borderzone.forms import RowsFormSet, apply_service_errors


class PlaceForm(forms.Form):
    scope = forms.CharField(required=False)
    note = forms.CharField(required=False)
    SERVICE_FIELDS = {"cluster": "scope", "agreement": "scope"}


class Row(forms.Form):
    unit = forms.CharField(required=False)


class Rows(RowsFormSet):
    SERVICE_ERROR_KEYS = ("participations", "unit")


RowsSet = forms.formset_factory(Row, formset=Rows, extra=1)


def valid_pair():
    form = PlaceForm({"scope": "c1", "note": ""})
    formset = RowsSet({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-unit": "5"})
    assert form.is_valid() and formset.is_valid()
    return form, formset


def test_renamed_service_fields_go_beside_the_form_field():
    form, formset = valid_pair()
    apply_service_errors(ValidationError({"cluster": ["Xã không thuộc cụm."]}), form, formset)
    assert form.errors["scope"] == ["Xã không thuộc cụm."]


def test_row_errors_go_on_the_formset_and_the_rest_on_top_of_the_form():
    form, formset = valid_pair()
    apply_service_errors(
        ValidationError({"participations": ["Thiếu đơn vị."], "started_at": ["Sai ngày."]}), form, formset
    )
    assert formset.non_form_errors() == ["Thiếu đơn vị."]
    assert form.non_field_errors() == ["Sai ngày."]


def test_a_form_may_decide_the_target_field_from_its_input():
    class Decided(PlaceForm):
        def service_error_field(self, key):
            return "note" if self.cleaned_data.get("scope") == "c1" else None

    form = Decided({"scope": "c1"})
    assert form.is_valid()
    apply_service_errors(ValidationError({"period_start": ["Kỳ đã có báo cáo."]}), form)
    assert form.errors["note"] == ["Kỳ đã có báo cáo."]


def test_an_error_without_fields_goes_on_top_of_the_form():
    form, _formset = valid_pair()
    apply_service_errors(ValidationError("Lỗi chung."), form)
    assert form.non_field_errors() == ["Lỗi chung."]

"""The shared form layer: widgets, the service-error mapper, formset rows and redrawn forms.

Forms only collect and check input. A view hands the cleaned data to one service, which validates
again inside its transaction; :func:`apply_service_errors` puts the service's refusal back beside
the field it names, so every page reports a refusal the same way (docs/ARCHITECTURE.md, "Forms").
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .services import STALE_VERSION, moment_problem


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as yyyy-mm-dd, which the vi input formats accept."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The phone's own date-and-time picker; the value travels as yyyy-mm-ddThh:mm (a vi input format)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class BoundedDateField(forms.DateField):
    """A date a person enters or filters by, held to the one rule of :func:`borderzone.services.moment_problem`.

    ``not_in_future`` for what must already have happened. The message shows beside the field and
    what was typed stays in it.
    """

    def __init__(self, *, not_in_future: bool = False, **kwargs):
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)
        self.not_in_future = not_in_future

    def validate(self, value) -> None:
        super().validate(value)
        problem = moment_problem(value, not_in_future=self.not_in_future)
        if problem is not None:
            raise ValidationError(problem, code="out_of_range")


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time a person enters, held to the same rule as :class:`BoundedDateField`."""

    def __init__(self, *, not_in_future: bool = False, **kwargs):
        kwargs.setdefault("widget", DateTimeInput())
        super().__init__(**kwargs)
        self.not_in_future = not_in_future

    def validate(self, value) -> None:
        super().validate(value)
        problem = moment_problem(value, not_in_future=self.not_in_future)
        if problem is not None:
            raise ValidationError(problem, code="out_of_range")


# A filter form's search box holding a NUL byte is reported beside it (Django has no Vietnamese text
# for this) and left out of the filtering, like any invalid filter.
SEARCH_ERRORS = {"null_characters_not_allowed": _("Ô tìm kiếm có ký tự không hợp lệ; hãy gõ lại.")}


def search_text(raw: str, limit: int = 200) -> tuple[str, str]:
    """A search box's text and the message to show beside it ("" when the text is usable).

    PostgreSQL text cannot hold a NUL byte (a crafted ``?q=a%00b``): the search runs on the rest of
    what was typed, which stays in the box, and the message says a character was dropped.
    """
    text = raw.strip()[:limit]
    if "\x00" in text:
        return text.replace("\x00", ""), str(_("Ô tìm kiếm có ký tự không hợp lệ; đã bỏ ký tự đó khi tìm."))
    return text, ""


FILTER_CHOICES_LIMIT = 400


def cap_choices(field: forms.ModelChoiceField, selected=None, limit: int = FILTER_CHOICES_LIMIT) -> None:
    """Render at most ``limit`` options (plus the selected one) while validating against the whole queryset.

    A national administrator's filters would otherwise list thousands of communes and units on
    every page; he narrows by agreement or cluster first, or types in the search box.
    """
    rows = list(field.queryset[: limit + 1])
    if len(rows) <= limit:
        return
    rows = rows[:limit]
    if selected not in (None, "") and str(selected).isdecimal() and all(str(r.pk) != str(selected) for r in rows):
        rows += list(field.queryset.filter(pk=int(selected)))
    label = field.label_from_instance
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.widget.choices = empty + [(r.pk, label(r)) for r in rows]
    field.help_text = _("Chỉ hiện %(n)s lựa chọn đầu; chọn quy chế hoặc cụm để thu hẹp.") % {"n": limit}


class RowsFormSet(forms.BaseFormSet):
    """Rows saved together with their parent form by one service (an agreement's parties, a patrol's units).

    ``SERVICE_ERROR_KEYS`` names the keys of a service's ValidationError that belong to the rows
    rather than to a field of the parent form.
    """

    SERVICE_ERROR_KEYS: tuple[str, ...] = ()

    def add_non_form_errors(self, messages) -> None:
        errors = list(self.non_form_errors()) + [str(m) for m in messages]
        self._non_form_errors = self.error_class(errors, error_class="nonform", renderer=self.renderer)


def service_error_field(form: forms.BaseForm, key: str) -> str | None:
    """The field of ``form`` where a service error keyed ``key`` shows.

    A form renames service fields with a ``SERVICE_FIELDS`` mapping, or with a
    ``service_error_field(key)`` method when the target depends on the input.
    """
    method = getattr(form, "service_error_field", None)
    if method is not None:
        return method(key)
    return getattr(form, "SERVICE_FIELDS", {}).get(key, key)


def apply_service_errors(exc: ValidationError, form: forms.BaseForm, formset: RowsFormSet | None = None) -> None:
    """Put a service's ValidationError beside the field it names, so the page shows it where it belongs.

    What names no field of the form goes to the formset's rows when it is theirs, else on top of the form.
    """
    take_stored_version(exc, form)
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.message_dict.items():
        name = service_error_field(form, key)
        if name in form.fields:
            form.add_error(name, errors)
        elif formset is not None and key in formset.SERVICE_ERROR_KEYS:
            formset.add_non_form_errors(errors)
        else:
            form.add_error(None, errors)


# Versions of the record an edit form was loaded from (borderzone.services.check_version) ----------

VERSION_FIELD = "version"


class VersionField(forms.IntegerField):
    """The version of the record the edit page was loaded from, posted back with the form."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        # Optional: a post without it (an older page, a script) is saved unchecked, as before.
        super().__init__(required=False, min_value=0, **kwargs)


def add_version_field(form: forms.BaseForm, record, refresh=None) -> None:
    """Give an edit form the hidden version of ``record``; a redrawn form keeps the version first loaded.

    ``refresh`` is the data a redraw is built from: the page being redrawn may be older than the
    record is now, and only its own version can tell.
    """
    initial = record.version
    raw = refresh.get(form.add_prefix(VERSION_FIELD)) if refresh is not None else None
    if isinstance(raw, str) and raw.isdecimal():
        initial = int(raw)
    form.fields[VERSION_FIELD] = VersionField(initial=initial)


def loaded_version(form: forms.BaseForm) -> int | None:
    """The version an edit form was loaded from (its cleaned hidden field), or None when it did not say."""
    return form.cleaned_data.get(VERSION_FIELD) if VERSION_FIELD in form.fields else None


def take_stored_version(exc: ValidationError, form: forms.BaseForm) -> None:
    """After a refusal for a newer version, the form shown again carries that version.

    The user has now seen what changed meanwhile; saving his values again is a deliberate choice.
    """
    if not hasattr(exc, "error_dict") or VERSION_FIELD not in form.fields or not form.is_bound:
        return
    for error in exc.error_dict.get(NON_FIELD_ERRORS, []):
        if error.code == STALE_VERSION:
            data = form.data.copy()
            data[form.add_prefix(VERSION_FIELD)] = str(error.params["version"])
            form.data = data

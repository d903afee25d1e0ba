"""Forms of the registry pages.

The forms only collect and check input; nothing here saves. Each view hands the cleaned data to
one service (``agreements.services``), which validates again inside its transaction; the view
maps the service's ``ValidationError`` back onto these forms with :func:`apply_service_errors`.
"""

from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import (
    AdministrativeUnit,
    Agreement,
    AgreementParty,
    BoardMember,
    Cluster,
    ClusterMember,
    CoordinationArea,
    Era,
    LegalBasis,
    MobileTeam,
    MobileTeamMember,
    Unit,
)
from .services import AgreementData, PartyData

DOCUMENT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
# First bytes of the accepted formats: a renamed .exe is refused even with a .pdf name.
DOCUMENT_SIGNATURES = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as yyyy-mm-dd, which the vi input formats accept."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def commune_label(commune: AdministrativeUnit) -> str:
    """ "Xã Phú Long – Huyện Nho Quan, Tỉnh Ninh Bình (trước 01/7/2025)"."""
    places = []
    node = commune.parent
    while node is not None:
        places.append(node.name)
        node = node.parent
    label = f"{commune.name} – {', '.join(places)}" if places else commune.name
    if commune.era == Era.LEGACY:
        label = f"{label} ({_('trước 01/7/2025')})"
    return label


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
    if selected not in (None, "") and str(selected).isdigit() and all(str(r.pk) != str(selected) for r in rows):
        rows += list(field.queryset.filter(pk=int(selected)))
    label = field.label_from_instance
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.widget.choices = empty + [(r.pk, label(r)) for r in rows]
    field.help_text = _("Chỉ hiện %(n)s lựa chọn đầu; chọn quy chế hoặc cụm để thu hẹp.") % {"n": limit}


def unit_choices_queryset():
    return Unit.objects.order_by("name", "pk")


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "number",
            "title",
            "signed_on",
            "signed_at",
            "effective_from",
            "effective_to",
            "chapter_count",
            "article_count",
            "status",
            "supersedes",
            "legal_bases",
            "coordination_areas",
            "summary",
            "document",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 3}),
            "signed_on": DateInput(),
            "effective_from": DateInput(),
            "effective_to": DateInput(),
            "legal_bases": forms.CheckboxSelectMultiple(),
            "coordination_areas": forms.CheckboxSelectMultiple(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "number": _("Ví dụ: 05/QC-PH"),
            "effective_to": _("Để trống nếu quy chế không ghi thời hạn."),
            "supersedes": _("Quy chế cũ mà quy chế này thay thế (nếu có)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        supersedes = Agreement.objects.visible_to(user).order_by("-signed_on", "-pk")
        if self.instance.pk:
            supersedes = supersedes.exclude(pk=self.instance.pk)
        self.fields["supersedes"].queryset = supersedes
        self.fields["supersedes"].empty_label = _("— Không thay thế quy chế nào —")
        self.fields["legal_bases"].queryset = LegalBasis.objects.all()
        self.fields["coordination_areas"].queryset = CoordinationArea.objects.all()
        document = self.fields["document"]
        document.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        document.help_text = _("Bản PDF, JPG hoặc PNG, tối đa %(max)s MB.") % {"max": _max_document_mb()}

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if isinstance(document, UploadedFile):
            check_document(document)
        return document

    def agreement_data(self) -> AgreementData:
        data = self.cleaned_data
        return AgreementData(
            title=data["title"],
            number=data.get("number") or "",
            signed_on=data.get("signed_on"),
            signed_at=data.get("signed_at") or "",
            effective_from=data.get("effective_from"),
            effective_to=data.get("effective_to"),
            chapter_count=data.get("chapter_count"),
            article_count=data.get("article_count"),
            status=data["status"],
            supersedes=data.get("supersedes"),
            summary=data.get("summary") or "",
            legal_bases=list(data.get("legal_bases") or []),
            coordination_areas=list(data.get("coordination_areas") or []),
        )

    def document_change(self) -> UploadedFile | bool | None:
        """What the services expect: a new file, ``False`` to remove the stored one, ``None`` to keep it."""
        document = self.cleaned_data.get("document")
        if isinstance(document, UploadedFile):
            return document
        if document is False:
            return False
        return None


def _max_document_mb() -> str:
    megabytes = settings.AGREEMENT_DOCUMENT_MAX_BYTES / (1024 * 1024)
    return f"{megabytes:g}".replace(".", ",")


def check_document(document: UploadedFile) -> None:
    extension = os.path.splitext(document.name or "")[1].lower().lstrip(".")
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("Chỉ nhận văn bản dạng PDF, JPG hoặc PNG (tệp đã chọn có đuôi “%(ext)s”).") % {"ext": extension or "?"},
            code="extension",
        )
    if document.size is not None and document.size > settings.AGREEMENT_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("Tệp quá lớn: %(size)s MB. Văn bản đã ký chỉ được tối đa %(max)s MB.")
            % {"size": f"{document.size / (1024 * 1024):.1f}".replace(".", ","), "max": _max_document_mb()},
            code="size",
        )
    head = document.read(8)
    document.seek(0)
    if not head.startswith(DOCUMENT_SIGNATURES):
        raise ValidationError(
            _("Nội dung tệp không phải PDF, JPG hoặc PNG; hãy chọn lại bản quét của văn bản đã ký."),
            code="content",
        )


class PartyForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    signatory_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    signatory_position = forms.CharField(label=_("Chức vụ người ký"), max_length=200, required=False)

    def __init__(self, *args, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = unit_choices_queryset()
        field.empty_label = _("— Chọn đơn vị —")
        if unit_choices is not None:
            # One query for the whole formset instead of one per row.
            field.choices = unit_choices


class BasePartyFormSet(forms.BaseFormSet):
    """The parties of an agreement, in the order the rows are shown; rows ticked for deletion are left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._unit_choices = None

    def get_form_kwargs(self, index):
        if self._unit_choices is None:
            self._unit_choices = [("", _("— Chọn đơn vị —"))] + [
                (unit.pk, unit.name) for unit in unit_choices_queryset()
            ]
        return {**super().get_form_kwargs(index), "unit_choices": self._unit_choices}

    def _kept_forms(self):
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if not hasattr(form, "cleaned_data") or not form.cleaned_data.get("unit"):
                continue
            yield form

    def clean(self):
        if any(self.errors):
            return
        seen: set[int] = set()
        kept = 0
        for form in self._kept_forms():
            unit = form.cleaned_data["unit"]
            if unit.pk in seen:
                form.add_error("unit", _("Đơn vị này đã được khai báo."))
            seen.add(unit.pk)
            kept += 1
        if kept < 2:
            raise ValidationError(_("Quy chế phối hợp phải có ít nhất hai bên tham gia."), code="too_few_parties")

    def parties(self) -> list[PartyData]:
        return [
            PartyData(
                unit=form.cleaned_data["unit"],
                signatory_name=form.cleaned_data.get("signatory_name") or "",
                signatory_position=form.cleaned_data.get("signatory_position") or "",
            )
            for form in self._kept_forms()
        ]

    def add_non_form_errors(self, messages) -> None:
        errors = list(self.non_form_errors()) + [str(m) for m in messages]
        self._non_form_errors = self.error_class(errors, error_class="nonform", renderer=self.renderer)


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=2, can_delete=True)
PARTY_PREFIX = "parties"


def party_formset(data=None, *, agreement: Agreement | None = None, initial_unit: Unit | None = None):
    """Rows for the existing parties (or the user's own unit on a new agreement) plus empty ones."""
    if agreement is not None:
        initial = [
            {"unit": p.unit_id, "signatory_name": p.signatory_name, "signatory_position": p.signatory_position}
            for p in agreement.parties.all()
        ]
    elif initial_unit is not None:
        initial = [{"unit": initial_unit.pk}]
    else:
        initial = []
    return PartyFormSet(data, initial=initial, prefix=PARTY_PREFIX)


# Fields of the party rows: a service error keyed by one of these belongs to the formset.
PARTY_ERROR_KEYS = ("parties", "unit", "signatory_name", "signatory_position")


def apply_service_errors(exc: ValidationError, form: forms.BaseForm, formset: BasePartyFormSet | None = None) -> None:
    """Put a service's ValidationError beside the field it names, so the page shows it where it belongs."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.message_dict.items():
        if key in form.fields:
            form.add_error(key, errors)
        elif formset is not None and key in PARTY_ERROR_KEYS:
            formset.add_non_form_errors(errors)
        else:
            form.add_error(None, errors)


class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        fields = ["name", "kind", "agreement", "established_on", "description"]
        widgets = {"established_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["agreement"].queryset = Agreement.objects.visible_to(user)
            self.fields["agreement"].help_text = _("Chỉ chuyển được khi cụm chưa có xã thành viên.")
        else:
            # A new cluster is created under the agreement of the page it was opened from.
            del self.fields["agreement"]

    def service_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class ClusterMemberForm(forms.ModelForm):
    class Meta:
        model = ClusterMember
        fields = ["commune", "responsible_party", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args, cluster: Cluster, **kwargs):
        if kwargs.get("instance") is None:
            kwargs["instance"] = ClusterMember(cluster=cluster)
        super().__init__(*args, **kwargs)
        agreement = cluster.agreement
        if "commune" in self.fields:
            commune = self.fields["commune"]
            commune.queryset = selectors.communes_within_party_areas(agreement=agreement)
            commune.label_from_instance = commune_label
            commune.empty_label = _("— Chọn xã, phường —")
            commune.help_text = _("Các xã, phường (cả trước và sau 01/7/2025) thuộc địa bàn của các bên ký quy chế.")
        party = self.fields["responsible_party"]
        party.queryset = AgreementParty.objects.filter(agreement=agreement).select_related("unit")
        party.empty_label = _("— Chọn bên phụ trách —")


class ClusterMemberUpdateForm(ClusterMemberForm):
    class Meta(ClusterMemberForm.Meta):
        fields = ["responsible_party", "valid_from", "valid_to"]


class BoardMemberForm(forms.ModelForm):
    class Meta:
        model = BoardMember
        fields = ["full_name", "rank", "position", "unit", "board_role", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, cluster: Cluster, **kwargs):
        kwargs.setdefault("instance", BoardMember(cluster=cluster))
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices_queryset()
        self.fields["unit"].empty_label = _("— Chọn đơn vị —")


class MobileTeamForm(forms.ModelForm):
    class Meta:
        model = MobileTeam
        fields = ["name", "established_on", "duties"]
        widgets = {"established_on": DateInput(), "duties": forms.Textarea(attrs={"rows": 3})}


class MobileTeamMemberForm(forms.ModelForm):
    class Meta:
        model = MobileTeamMember
        fields = ["full_name", "rank", "unit", "commune"]

    def __init__(self, *args, team: MobileTeam, **kwargs):
        kwargs.setdefault("instance", MobileTeamMember(team=team))
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices_queryset()
        self.fields["unit"].empty_label = _("— Chọn đơn vị —")
        commune = self.fields["commune"]
        commune.queryset = selectors.cluster_member_communes(cluster=team.cluster)
        commune.label_from_instance = commune_label
        commune.empty_label = _("— Chọn xã thành viên của cụm —")

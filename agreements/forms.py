"""Forms of the registry pages.

The forms only collect and check input; nothing here saves. Each view hands the cleaned data to
one service (``agreements.services``), which validates again inside its transaction; the view
maps the service's ``ValidationError`` back onto these forms with
:func:`borderzone.forms.apply_service_errors`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from borderzone.forms import BoundedDateField, DateInput, RowsFormSet

from . import selectors
from .models import (
    AdministrativeUnit,
    Agreement,
    BoardMember,
    Cluster,
    ClusterMember,
    Era,
    MobileTeam,
    MobileTeamMember,
    Unit,
)
from .querysets import officer_of
from .services import AgreementData, PartyData

DOCUMENT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
# First bytes of the accepted formats: a renamed .exe is refused even with a .pdf name.
DOCUMENT_SIGNATURES = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


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
        field_classes = dict.fromkeys(["signed_on", "effective_from", "effective_to"], BoundedDateField)
        help_texts = {
            "number": _("Ví dụ: 05/QC-PH"),
            "effective_to": _("Để trống nếu quy chế không ghi thời hạn."),
            "supersedes": _("Quy chế cũ mà quy chế này thay thế (nếu có)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        supersedes = selectors.agreement_choices(user=user)
        if self.instance.pk:
            supersedes = supersedes.exclude(pk=self.instance.pk)
        self.fields["supersedes"].queryset = supersedes
        self.fields["supersedes"].empty_label = _("— Không thay thế quy chế nào —")
        self.fields["legal_bases"].queryset = selectors.legal_bases()
        self.fields["coordination_areas"].queryset = selectors.coordination_areas()
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


# A unit id outside the choices gets this message and never the unit's name: ids can be typed.
UNIT_NOT_OFFERED = _("Chọn một đơn vị trong danh sách.")


class PartyForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.none(), error_messages={"invalid_choice": UNIT_NOT_OFFERED}
    )
    signatory_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    signatory_position = forms.CharField(label=_("Chức vụ người ký"), max_length=200, required=False)

    def __init__(self, *args, units=None, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        # Only the units the user may name (selectors.party_unit_choices) are offered and accepted.
        field.queryset = units if units is not None else Unit.objects.none()
        field.empty_label = _("— Chọn đơn vị —")
        if unit_choices is not None:
            # One query for the whole formset instead of one per row.
            field.choices = unit_choices


class BasePartyFormSet(RowsFormSet):
    """The parties of an agreement, in the order the rows are shown; rows ticked for deletion are left out."""

    SERVICE_ERROR_KEYS = ("parties", "unit", "signatory_name", "signatory_position")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units if units is not None else Unit.objects.none()
        self._unit_choices = None

    def get_form_kwargs(self, index):
        if self._unit_choices is None:
            self._unit_choices = [("", _("— Chọn đơn vị —"))] + [(unit.pk, unit.name) for unit in self.units]
        return {**super().get_form_kwargs(index), "units": self.units, "unit_choices": self._unit_choices}

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


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=2, can_delete=True)
PARTY_PREFIX = "parties"


def party_formset(data=None, *, user, agreement: Agreement | None = None, initial_unit: Unit | None = None):
    """Rows for the existing parties (or the user's own unit on a new agreement) plus empty ones; the
    units offered are those the user may name (``selectors.party_unit_choices``)."""
    if agreement is not None:
        initial = [
            {"unit": p.unit_id, "signatory_name": p.signatory_name, "signatory_position": p.signatory_position}
            for p in agreement.parties.all()
        ]
    elif initial_unit is not None:
        initial = [{"unit": initial_unit.pk}]
    else:
        initial = []
    units = selectors.party_unit_choices(user=user, agreement=agreement)
    return PartyFormSet(data, initial=initial, prefix=PARTY_PREFIX, units=units)


# Fields of the party rows: a service error keyed by one of these belongs to the formset.
class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        fields = ["name", "kind", "agreement", "established_on", "description"]
        widgets = {"established_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"established_on": BoundedDateField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["agreement"].queryset = selectors.agreement_choices(user=user)
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
        field_classes = {"valid_from": BoundedDateField, "valid_to": BoundedDateField}

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
        party.queryset = selectors.agreement_parties(agreement=agreement)
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
        unit = self.fields["unit"]
        unit.queryset = selectors.cluster_unit_choices(cluster=cluster, current_unit_id=self.instance.unit_id)
        unit.empty_label = _("— Chọn đơn vị —")
        unit.error_messages["invalid_choice"] = UNIT_NOT_OFFERED


class MobileTeamForm(forms.ModelForm):
    class Meta:
        model = MobileTeam
        fields = ["name", "established_on", "duties"]
        widgets = {"established_on": DateInput(), "duties": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"established_on": BoundedDateField}


class MobileTeamMemberForm(forms.ModelForm):
    class Meta:
        model = MobileTeamMember
        fields = ["full_name", "rank", "unit", "commune"]

    def __init__(self, *args, team: MobileTeam, **kwargs):
        kwargs.setdefault("instance", MobileTeamMember(team=team))
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = selectors.cluster_unit_choices(cluster=team.cluster, current_unit_id=self.instance.unit_id)
        unit.empty_label = _("— Chọn đơn vị —")
        unit.error_messages["invalid_choice"] = UNIT_NOT_OFFERED
        commune = self.fields["commune"]
        commune.queryset = selectors.cluster_member_communes(cluster=team.cluster)
        commune.label_from_instance = commune_label
        commune.empty_label = _("— Chọn xã thành viên của cụm —")


# Where a record happened: one select of agreement and cluster -----------------------------------

SCOPE_CLUSTER = "c"
SCOPE_AGREEMENT = "a"


@dataclass(frozen=True)
class Scope:
    """An agreement, or one of its clusters; its select value is "c<cluster pk>" or "a<agreement pk>"."""

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
    """The agreements and clusters a user may work under (of one agreement when given), read once (two queries)."""

    def __init__(self, user, *, agreement: Agreement | None = None):
        agreements, clusters = selectors.recording_scopes(user=user)
        if agreement is not None:
            agreements = [a for a in agreements if a.pk == agreement.pk]
            clusters = [c for c in clusters if c.agreement_id == agreement.pk]
        self.agreements = agreements
        by_agreement: dict[int, list[Cluster]] = {}
        for cluster in clusters:
            by_agreement.setdefault(cluster.agreement_id, []).append(cluster)
        self.clusters_of = by_agreement
        self._agreements = {a.pk: a for a in self.agreements}
        self._clusters = {c.pk: c for group in by_agreement.values() for c in group}
        for cluster in self._clusters.values():
            cluster.agreement = self._agreements.get(cluster.agreement_id, cluster.agreement)

    def choices(self, empty_label, *, whole_agreement: bool = False) -> list:
        """Option groups, one per agreement: its clusters, then the records outside every cluster.

        ``whole_agreement`` (a review report's scope) offers the agreement as a whole first, its
        clusters after it.
        """
        choices: list = [("", empty_label)]
        for agreement in self.agreements:
            clusters = self.clusters_of.get(agreement.pk, [])
            value = f"{SCOPE_AGREEMENT}{agreement.pk}"
            if whole_agreement:
                options = [(value, _("Toàn quy chế: %(agreement)s") % {"agreement": agreement})]
                options += [
                    (f"{SCOPE_CLUSTER}{c.pk}", _("Cụm: %(cluster)s") % {"cluster": c.name}) for c in clusters
                ]
                choices.append((agreement.number or agreement.title[:60], options))
                continue
            options = [(f"{SCOPE_CLUSTER}{c.pk}", c.name) for c in clusters]
            short = agreement.number or Truncator(agreement.title).chars(30)
            options.append((value, _("Ngoài các cụm – %(agreement)s") % {"agreement": short}))
            choices.append((agreement_label(agreement), options))
        return choices

    def resolve(self, value) -> Scope | None:
        value = str(value or "")
        kind, number = value[:1], value[1:]
        if not number.isdecimal():
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
            holding = selectors.clusters_holding_area(
                cluster_ids=[c.pk for c in clusters], area_id=officer.unit.area_id, day=timezone.localdate()
            )
            if len(holding) == 1:
                cluster = self._clusters[holding.pop()]
                return Scope(agreement=cluster.agreement, cluster=cluster)
        if clusters:
            return Scope(agreement=clusters[0].agreement, cluster=clusters[0])
        if len(self.agreements) == 1:
            return Scope(agreement=self.agreements[0])
        return None


class ScopeFormMixin:
    """The one select of agreement and cluster (``scope``) of field records and review reports.

    The fields that depend on it are drawn from :meth:`selected_scope`. ``refresh`` holds the values
    typed so far when the form is redrawn after the user picked another scope
    (``borderzone.views.RedrawMixin``): the form then shows them and reads the scope from them.
    """

    scope_label = _("Cụm giáp ranh / quy chế phối hợp")
    scope_help = _("Chọn cụm; chọn “Ngoài các cụm” khi hoạt động không thuộc cụm nào của quy chế.")
    scope_empty_label = _("— Chọn cụm hoặc quy chế —")
    # A review report covers an agreement as a whole or one of its clusters.
    scope_whole_agreement = False
    # The services name the agreement and the cluster in their ValidationError; both are this select.
    SERVICE_FIELDS = {"agreement": "scope", "cluster": "scope"}

    def setup_scope(self, user, refresh=None, *, agreement: Agreement | None = None) -> None:
        self.user = user
        self.scopes = ScopeChoices(user, agreement=agreement)
        self.refresh = refresh
        field = forms.ChoiceField(
            label=self.scope_label,
            help_text=self.scope_help,
            choices=self.scopes.choices(self.scope_empty_label, whole_agreement=self.scope_whole_agreement),
            error_messages={
                "required": _("Chọn cụm giáp ranh hoặc quy chế phối hợp."),
                "invalid_choice": _("Cụm hoặc quy chế đã chọn không còn trong phạm vi của bạn."),
            },
        )
        self.fields = {"scope": field, **{k: v for k, v in self.fields.items() if k != "scope"}}
        if refresh is not None:
            # Redrawn fields show what the user had already typed and picked.
            for name, form_field in self.fields.items():
                key = self.add_prefix(name)
                if isinstance(form_field, forms.BooleanField):
                    self.initial[name] = key in refresh
                    continue
                if key not in refresh:
                    continue
                multiple = getattr(form_field.widget, "allow_multiple_selected", False) and hasattr(refresh, "getlist")
                self.initial[name] = refresh.getlist(key) if multiple else refresh.get(key)
        if not self.is_bound and refresh is None and not self.initial.get("scope"):
            default = self.default_scope()
            if default is not None:
                self.initial["scope"] = default.value

    def default_scope(self) -> Scope | None:
        """The scope a new form starts with (none: the user picks)."""
        return self.scopes.default_for(self.user)

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


def scope_communes(scope: Scope | None):
    """Communes a record under ``scope`` may name (see ``selectors.scope_communes``)."""
    if scope is None:
        return selectors.scope_communes(agreement=None)
    return selectors.scope_communes(agreement=scope.agreement, cluster=scope.cluster)


def scope_units(scope: Scope | None):
    """Units that may take part in an activity of the scope: the parties of its agreement, and their units."""
    if scope is None:
        return Unit.objects.none()
    return selectors.units_under(agreement_ids=[scope.agreement.pk])

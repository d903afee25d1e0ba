"""The registry forms on their own: choices offered, checks done before a service is called."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from agreements.forms import (
    AgreementForm,
    ClusterMemberForm,
    MobileTeamMemberForm,
    ScopeFormMixin,
    commune_label,
    party_formset,
)
from agreements.models import AdminLevel, AgreementStatus, Era, Role
from borderzone.forms import apply_service_errors

from .factories import (
    AgreementFactory,
    AgreementPartyFactory,
    CommuneFactory,
    DistrictFactory,
    MobileTeamFactory,
    OfficerFactory,
    ProvinceFactory,
    UnitFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db


def _admin():
    """Administrators may name any unit as a party (see test_unit_choices.py for everyone else)."""
    return OfficerFactory(role=Role.ADMINISTRATOR).user


def formset_data(rows, *, initial=0, deleted=()) -> dict:
    data = {
        "parties-TOTAL_FORMS": str(len(rows)),
        "parties-INITIAL_FORMS": str(initial),
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for index, unit in enumerate(rows):
        data[f"parties-{index}-unit"] = str(unit.pk) if unit else ""
        data[f"parties-{index}-signatory_name"] = "Nguyễn Văn Ký" if unit else ""
        if index in deleted:
            data[f"parties-{index}-DELETE"] = "on"
    return data


def test_party_formset_gives_parties_in_row_order_skipping_empty_and_deleted_rows():
    a, b, c = UnitFactory(), UnitFactory(), UnitFactory()
    formset = party_formset(user=_admin(), data=formset_data([a, c, b, None], deleted=(1,)))
    assert formset.is_valid(), formset.errors
    assert [p.unit for p in formset.parties()] == [a, b]
    assert formset.parties()[0].signatory_name == "Nguyễn Văn Ký"


def test_party_formset_marks_the_repeated_row():
    a, b = UnitFactory(), UnitFactory()
    formset = party_formset(user=_admin(), data=formset_data([a, b, a]))
    assert not formset.is_valid()
    assert formset.forms[2].errors["unit"] == ["Đơn vị này đã được khai báo."]
    assert not formset.forms[0].errors
    # A repeated row that is ticked for deletion is not a repeat.
    assert party_formset(user=_admin(), data=formset_data([a, b, a], deleted=(2,))).is_valid()


def test_party_formset_needs_two_parties():
    formset = party_formset(user=_admin(), data=formset_data([UnitFactory(), None]))
    assert not formset.is_valid()
    assert formset.non_form_errors() == ["Quy chế phối hợp phải có ít nhất hai bên tham gia."]


def test_party_formset_starts_from_existing_parties_or_the_users_unit():
    j = jurisdiction()
    formset = party_formset(user=_admin(), agreement=j.agreement)
    assert [f.initial["unit"] for f in formset.forms[:2]] == [j.party_a.unit_id, j.party_b.unit_id]
    assert len(formset.forms) == 4  # two more empty rows
    unit = UnitFactory()
    assert party_formset(user=_admin(), initial_unit=unit).forms[0].initial == {"unit": unit.pk}


def test_agreement_form_offers_only_visible_agreements_to_supersede_and_not_itself():
    own = jurisdiction()
    other = jurisdiction()
    older = AgreementPartyFactory(unit=own.unit_a).agreement
    form = AgreementForm(user=own.user, instance=own.agreement)
    assert list(form.fields["supersedes"].queryset) == [older]
    assert other.agreement not in form.fields["supersedes"].queryset
    html = str(form["signed_on"])
    assert 'type="date"' in html
    assert 'value="2021-03-01"' in html  # ISO for the browser's date picker


def agreement_form_data(**overrides) -> dict:
    data = {"title": "Quy chế phối hợp", "status": AgreementStatus.IN_FORCE, **overrides}
    return data


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("quy-che.exe", b"MZ\x90\x00", "Chỉ nhận văn bản dạng PDF, JPG hoặc PNG"),
        ("quy-che.pdf", b"MZ\x90\x00 not a pdf", "Nội dung tệp không phải PDF, JPG hoặc PNG"),
    ],
)
def test_agreement_form_refuses_other_files(name, content, message):
    j = jurisdiction()
    form = AgreementForm(agreement_form_data(), {"document": SimpleUploadedFile(name, content)}, user=j.user)
    assert not form.is_valid()
    assert message in form.errors["document"][0]


@pytest.mark.parametrize(
    ("name", "content"),
    [("ban-quet.PDF", b"%PDF-1.7 ..."), ("anh.jpg", b"\xff\xd8\xff\xe0...."), ("anh.png", b"\x89PNG\r\n\x1a\n...")],
)
def test_agreement_form_accepts_pdf_jpg_png(name, content):
    j = jurisdiction()
    form = AgreementForm(agreement_form_data(), {"document": SimpleUploadedFile(name, content)}, user=j.user)
    assert form.is_valid(), form.errors
    assert form.document_change().name == name


def test_agreement_form_refuses_a_file_over_the_limit(settings):
    settings.AGREEMENT_DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    j = jurisdiction()
    big = SimpleUploadedFile("quy-che.pdf", b"%PDF-" + b"0" * (3 * 1024 * 1024))
    form = AgreementForm(agreement_form_data(), {"document": big}, user=j.user)
    assert not form.is_valid()
    assert form.errors["document"] == ["Tệp quá lớn: 3,0 MB. Văn bản đã ký chỉ được tối đa 2 MB."]


def test_agreement_form_checks_dates_with_the_models_messages():
    j = jurisdiction()
    form = AgreementForm(
        agreement_form_data(signed_on="2024-03-15", effective_from="2024-03-01", effective_to="2024-02-01"),
        user=j.user,
    )
    assert not form.is_valid()
    assert form.errors["effective_to"] == ["Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."]
    assert form.errors["effective_from"] == ["Quy chế không thể có hiệu lực trước ngày ký."]
    # dd/mm/yyyy typed by hand is read too.
    form = AgreementForm(agreement_form_data(signed_on="15/03/2024"), user=j.user)
    assert form.is_valid(), form.errors
    assert form.agreement_data().signed_on.isoformat() == "2024-03-15"


def test_commune_choices_are_the_communes_within_the_parties_areas():
    legacy_province = ProvinceFactory()
    district = DistrictFactory()
    current_province = ProvinceFactory(era=Era.CURRENT)
    agreement = AgreementFactory()
    AgreementPartyFactory(agreement=agreement, unit=UnitFactory(area=district))
    AgreementPartyFactory(agreement=agreement, unit=UnitFactory(area=legacy_province))
    AgreementPartyFactory(agreement=agreement, unit=UnitFactory(area=current_province))
    in_district = CommuneFactory(parent=district)
    in_legacy_province = CommuneFactory(parent=DistrictFactory(parent=legacy_province))
    in_current_province = CommuneFactory(era=Era.CURRENT, parent=current_province)
    elsewhere = CommuneFactory()
    cluster = jurisdiction().cluster
    cluster.agreement = agreement
    form = ClusterMemberForm(cluster=cluster)
    choices = set(form.fields["commune"].queryset)
    assert choices == {in_district, in_legacy_province, in_current_province}
    assert elsewhere not in choices
    assert all(c.level == AdminLevel.COMMUNE for c in choices)
    assert set(form.fields["responsible_party"].queryset) == set(agreement.parties.all())


def test_commune_label_names_the_district_province_and_era():
    commune = CommuneFactory(
        name="Xã Phú Long",
        parent=DistrictFactory(name="Huyện Nho Quan", parent=ProvinceFactory(name="Tỉnh Ninh Bình")),
    )
    assert commune_label(commune) == "Xã Phú Long – Huyện Nho Quan, Tỉnh Ninh Bình (trước 01/7/2025)"
    current = CommuneFactory(
        era=Era.CURRENT, name="Xã Gia Viễn", parent=ProvinceFactory(era=Era.CURRENT, name="Tỉnh Ninh Bình")
    )
    assert commune_label(current) == "Xã Gia Viễn – Tỉnh Ninh Bình"


def test_team_member_communes_are_the_clusters_members():
    j = jurisdiction()
    team = MobileTeamFactory(cluster=j.cluster)
    form = MobileTeamMemberForm(team=team)
    assert set(form.fields["commune"].queryset) == {j.commune_a, j.commune_b}


def test_service_errors_are_put_beside_fields_or_on_the_formset():
    j = jurisdiction()
    form = AgreementForm(agreement_form_data(), user=j.user)
    formset = party_formset(user=_admin(), data=formset_data([j.unit_a, j.unit_b]))
    assert form.is_valid() and formset.is_valid()
    apply_service_errors(
        ValidationError(
            {
                "supersedes": ["Không tìm thấy quy chế được thay thế."],
                "parties": ["Quy chế phối hợp phải có ít nhất hai bên tham gia."],
                "chapters": ["Số chương bị trùng."],
            }
        ),
        form,
        formset,
    )
    assert form.errors["supersedes"] == ["Không tìm thấy quy chế được thay thế."]
    assert formset.non_form_errors() == ["Quy chế phối hợp phải có ít nhất hai bên tham gia."]
    assert form.non_field_errors() == ["Số chương bị trùng."]
    apply_service_errors(ValidationError("Lỗi chung."), form)
    assert "Lỗi chung." in form.non_field_errors()


def test_a_redrawn_scope_form_keeps_what_was_typed_and_ticked(j):
    class Typed(ScopeFormMixin, forms.Form):
        text = forms.CharField()
        many = forms.MultipleChoiceField(choices=[("1", "1"), ("2", "2")])
        tick = forms.BooleanField(required=False)

        def __init__(self, *args, user, refresh=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.setup_scope(user, refresh)

    refresh = QueryDict(f"scope=a{j.agreement.pk}&text=Bãi+sông&many=1&many=2&tick=on")
    form = Typed(user=j.user, refresh=refresh)
    assert not form.is_bound
    assert form.initial == {"scope": f"a{j.agreement.pk}", "text": "Bãi sông", "many": ["1", "2"], "tick": True}
    assert form.selected_scope().agreement == j.agreement and form.selected_scope().cluster is None
    # A scope outside the user's agreements is no scope at all.
    other = Typed(user=j.user, refresh=QueryDict(f"scope=c{jurisdiction().cluster.pk}"))
    assert other.selected_scope() is None

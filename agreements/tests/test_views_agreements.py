"""The agreement pages: lists, detail, create and edit, the signed document, and who may do what.

The full role × unit × URL matrix lives in tests/test_access_matrix.py; these tests cover the
behaviour of the pages themselves. Cluster pages are in test_views_clusters.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement, AgreementParty, AgreementStatus, CoordinationArea, Role, UnitLevel
from tests.helpers import count_queries, error_beside, html_of

from .factories import AgreementFactory, AgreementPartyFactory, ClusterFactory, OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% van ban da ky\n"


def agreement_post_data(
    *, title="Quy chế phối hợp bảo đảm an ninh, trật tự vùng giáp ranh Nho Quan – Thạch Thành", units=(), **overrides
) -> dict:
    data = {
        "number": "05/QC-PH",
        "title": title,
        "signed_on": "2024-03-15",
        "signed_at": "UBND xã Phú Long",
        "effective_from": "2024-03-15",
        "effective_to": "",
        "chapter_count": "6",
        "article_count": "22",
        "status": AgreementStatus.IN_FORCE,
        "supersedes": "",
        "summary": "Phối hợp tuần tra, trao đổi thông tin giữa hai bên.",
        "coordination_areas": [str(pk) for pk in CoordinationArea.objects.values_list("pk", flat=True)[:2]],
        "parties-TOTAL_FORMS": str(len(units) + 1),
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for index, unit in enumerate(units):
        data[f"parties-{index}-unit"] = str(unit.pk)
        data[f"parties-{index}-signatory_name"] = f"Nguyễn Văn Ký {index}"
        data[f"parties-{index}-signatory_position"] = "Trưởng Công an huyện"
    data[f"parties-{len(units)}-unit"] = ""  # an untouched extra row
    data.update(overrides)
    return data


def agreement_edit_data(agreement: Agreement, **overrides) -> dict:
    units = [p.unit for p in agreement.parties.all()]
    data = agreement_post_data(title=agreement.title, units=units)
    data.update(
        {
            "number": agreement.number,
            "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "",
            "effective_from": agreement.effective_from.isoformat() if agreement.effective_from else "",
            "parties-INITIAL_FORMS": str(len(units)),
        }
    )
    data.update(overrides)
    return data


def staff_of(unit, **names):
    officer = OfficerFactory(unit=unit, role=Role.STAFF)
    for key, value in names.items():
        setattr(officer.user, key, value)
    officer.user.save()
    return officer.user


# Lists and detail pages -------------------------------------------------------------------------


def test_agreement_list_shows_only_visible_agreements(client, j, other_j):
    client.force_login(j.user)
    response = client.get(reverse("agreements:agreement_list"))
    assert response.status_code == 200
    assert list(response.context["agreements"]) == [j.agreement]
    html = html_of(response)
    assert j.agreement.title in html
    assert j.unit_b.name in html  # parties are listed
    assert other_j.agreement.title not in html
    # An officer cannot add agreements, so the button is not offered.
    assert reverse("agreements:agreement_create") not in html


def test_agreement_list_search_is_accent_insensitive_and_filters_status(client, j):
    party = AgreementPartyFactory(unit=j.unit_a, agreement__title="Quy chế phối hợp Phú Long – Thành Vân")
    AgreementPartyFactory(agreement=party.agreement)
    client.force_login(j.user)
    response = client.get(reverse("agreements:agreement_list"), {"q": "phu long"})
    assert list(response.context["agreements"]) == [party.agreement]
    response = client.get(reverse("agreements:agreement_list"), {"status": AgreementStatus.EXPIRED})
    assert list(response.context["agreements"]) == []
    assert "Không có quy chế nào khớp" in html_of(response)


def test_staff_sees_the_add_button(client, staff):
    client.force_login(staff)
    assert reverse("agreements:agreement_create") in html_of(client.get(reverse("agreements:agreement_list")))


def test_agreement_detail_is_404_for_another_units_agreement_and_for_a_missing_one(client, j, other_j):
    client.force_login(j.user)
    assert client.get(reverse("agreements:agreement_detail", kwargs={"pk": j.agreement.pk})).status_code == 200
    assert client.get(reverse("agreements:agreement_detail", kwargs={"pk": other_j.agreement.pk})).status_code == 404
    missing = Agreement.objects.order_by("-pk").first().pk + 1000
    assert client.get(reverse("agreements:agreement_detail", kwargs={"pk": missing})).status_code == 404


def test_agreement_detail_shows_parties_clusters_and_supersedes_chain(client, j):
    older = AgreementFactory(title="Quy chế phối hợp năm 2017", status=AgreementStatus.SUPERSEDED)
    AgreementPartyFactory(agreement=older, unit=j.unit_a)
    j.agreement.supersedes = older
    j.agreement.save()
    client.force_login(j.user)
    html = html_of(client.get(j.agreement.get_absolute_url()))
    assert j.unit_b.name in html
    assert j.party_b.signatory_name in html
    assert j.cluster.name in html
    assert "2 xã" in html
    assert "Quy chế phối hợp năm 2017" in html
    assert "01/03/2021" in html  # signed on, dd/mm/yyyy
    html_older = html_of(client.get(older.get_absolute_url()))
    assert "Được thay thế bởi" in html_older
    assert j.agreement.title in html_older


# Rights ---------------------------------------------------------------------------------------


def test_officer_gets_403_on_create_and_edit_but_404_outside(client, j, other_j):
    client.force_login(j.user)
    assert client.get(reverse("agreements:agreement_create")).status_code == 403
    assert client.post(reverse("agreements:agreement_create"), {"title": "x"}).status_code == 403
    edit = reverse("agreements:agreement_update", kwargs={"pk": j.agreement.pk})
    assert client.get(edit).status_code == 403
    assert client.post(edit, agreement_edit_data(j.agreement, title="Đổi tên")).status_code == 403
    assert client.get(reverse("agreements:agreement_update", kwargs={"pk": other_j.agreement.pk})).status_code == 404
    j.agreement.refresh_from_db()
    assert j.agreement.title != "Đổi tên"
    assert client.get(reverse("agreements:cluster_member_add", kwargs={"pk": j.cluster.pk})).status_code == 403


# Creating and editing agreements ----------------------------------------------------------------


def test_staff_creates_an_agreement_with_two_parties_and_history_names_them(client):
    # Staff name parties of their own province (agreements/tests/test_unit_choices.py).
    province = UnitFactory(level=UnitLevel.PROVINCE)
    own_unit = UnitFactory(name="Công an huyện Nho Quan", parent=province)
    partner = UnitFactory(name="Công an huyện Thạch Thành", parent=province)
    user = staff_of(own_unit, first_name="Thị Lan", last_name="Trần")
    client.force_login(user)
    form_page = client.get(reverse("agreements:agreement_create"))
    assert form_page.status_code == 200
    assert 'type="date"' in html_of(form_page)
    response = client.post(reverse("agreements:agreement_create"), agreement_post_data(units=[own_unit, partner]))
    agreement = Agreement.objects.get(number="05/QC-PH")
    assert response.status_code == 302
    assert response["Location"] == agreement.get_absolute_url()
    assert [p.unit for p in agreement.parties.all()] == [own_unit, partner]
    assert agreement.parties.first().signatory_name == "Nguyễn Văn Ký 0"
    assert agreement.signed_on == datetime.date(2024, 3, 15)
    assert agreement.coordination_areas.count() == 2

    html = html_of(client.get(response["Location"]))
    assert "Đã thêm quy chế" in html  # the success message
    assert "Công an huyện Thạch Thành" in html
    assert "15/03/2024" in html
    history = html[html.index('id="lich-su"') :]
    assert "Tạo mới" in history
    assert "Trần Thị Lan" in history
    assert agreement in Agreement.objects.visible_to(user)


def test_staff_edits_an_agreement_and_history_shows_the_change(client, j):
    user = staff_of(j.unit_a, first_name="Văn Bình", last_name="Lê")
    client.force_login(user)
    url = reverse("agreements:agreement_update", kwargs={"pk": j.agreement.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, agreement_edit_data(j.agreement, title="Quy chế phối hợp (sửa đổi)"))
    assert response.status_code == 302
    j.agreement.refresh_from_db()
    assert j.agreement.title == "Quy chế phối hợp (sửa đổi)"
    html = html_of(client.get(j.agreement.get_absolute_url()))
    history = html[html.index('id="lich-su"') :]
    assert "Cập nhật" in history
    assert "Lê Văn Bình" in history
    assert "Tên quy chế" in history  # the changed field, by its Vietnamese name
    assert "Quy chế phối hợp (sửa đổi)" in history


def test_duplicate_party_shows_message_beside_the_field_and_saves_nothing(client):
    province = UnitFactory(level=UnitLevel.PROVINCE)
    own_unit, partner = UnitFactory(parent=province), UnitFactory(parent=province)
    client.force_login(staff_of(own_unit))
    title = "Quy chế phối hợp giữa hai huyện – bản nháp của tôi"
    data = agreement_post_data(title=title, units=[own_unit, partner, own_unit])
    before = Agreement.objects.count()
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 200
    assert Agreement.objects.count() == before
    assert not AgreementParty.objects.filter(unit=partner).exists()
    formset = response.context["formset"]
    assert formset.forms[2].errors["unit"] == ["Đơn vị này đã được khai báo."]
    html = html_of(response)
    assert error_beside(html, "parties-2-unit", "Đơn vị này đã được khai báo.")
    assert title in html  # what the user typed is kept
    assert "Nguyễn Văn Ký 1" in html


def test_effective_to_before_effective_from_is_shown_beside_effective_to(client):
    own_unit, partner = UnitFactory(), UnitFactory()
    client.force_login(staff_of(own_unit))
    data = agreement_post_data(units=[own_unit, partner], effective_from="2024-03-15", effective_to="2023-12-31")
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 200
    assert not Agreement.objects.filter(number="05/QC-PH").exists()
    message = "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."
    assert response.context["form"].errors["effective_to"] == [message]
    assert error_beside(html_of(response), "effective_to", message)


def test_fewer_than_two_parties_is_a_formset_error(client):
    own_unit = UnitFactory()
    client.force_login(staff_of(own_unit))
    response = client.post(reverse("agreements:agreement_create"), agreement_post_data(units=[own_unit]))
    assert response.status_code == 200
    assert "Quy chế phối hợp phải có ít nhất hai bên tham gia." in response.context["formset"].non_form_errors()
    assert not Agreement.objects.filter(number="05/QC-PH").exists()


def test_service_error_comes_back_on_the_page_and_nothing_is_saved(client):
    # The form accepts two units under the user's own; only the service knows the actor must stay a party.
    own_unit = UnitFactory(level=UnitLevel.PROVINCE)
    first, second = UnitFactory(parent=own_unit), UnitFactory(parent=own_unit)
    client.force_login(staff_of(own_unit))
    title = "Quy chế của hai đơn vị khác"
    response = client.post(
        reverse("agreements:agreement_create"), agreement_post_data(title=title, units=[first, second])
    )
    assert response.status_code == 200
    errors = response.context["formset"].non_form_errors()
    assert "Đơn vị của bạn (hoặc đơn vị cấp trên) phải là một bên của quy chế." in errors
    assert not Agreement.objects.filter(title=title).exists()
    assert title in html_of(response)


def test_supersedes_offers_only_visible_agreements(client, j, other_j, staff):
    client.force_login(staff)
    response = client.get(reverse("agreements:agreement_update", kwargs={"pk": j.agreement.pk}))
    choices = list(response.context["form"].fields["supersedes"].queryset)
    assert j.agreement not in choices  # not itself
    assert other_j.agreement not in choices
    data = agreement_edit_data(j.agreement, supersedes=str(other_j.agreement.pk))
    response = client.post(reverse("agreements:agreement_update", kwargs={"pk": j.agreement.pk}), data)
    assert response.status_code == 200
    assert "supersedes" in response.context["form"].errors


# The signed document ------------------------------------------------------------------------------


def test_document_upload_and_download_through_the_view(client, j, other_j, staff):
    client.force_login(staff)
    url = reverse("agreements:agreement_update", kwargs={"pk": j.agreement.pk})
    data = agreement_edit_data(j.agreement)
    data["document"] = SimpleUploadedFile("quy-che-da-ky.pdf", PDF, content_type="application/pdf")
    assert client.post(url, data).status_code == 302
    j.agreement.refresh_from_db()
    assert j.agreement.document.name.endswith(".pdf")

    download = reverse("agreements:agreement_document", kwargs={"pk": j.agreement.pk})
    assert download in html_of(client.get(j.agreement.get_absolute_url()))
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "quy-che-da-ky" in response["Content-Disposition"]

    # The edit page links the stored file through the view, never through MEDIA_URL.
    edit_html = html_of(client.get(url))
    assert download in edit_html
    assert "/media/" not in edit_html

    # Officers of the same unit read it; another unit's user gets the same 404 as for nothing.
    client.force_login(j.user)
    assert client.get(download).status_code == 200
    client.force_login(other_j.user)
    assert client.get(download).status_code == 404
    assert client.get(reverse("agreements:agreement_document", kwargs={"pk": other_j.agreement.pk})).status_code == 404


def test_stored_document_can_be_removed(client, j, staff):
    j.agreement.document.save("quy-che.pdf", ContentFile(PDF), save=True)
    client.force_login(staff)
    url = reverse("agreements:agreement_update", kwargs={"pk": j.agreement.pk})
    assert client.post(url, {**agreement_edit_data(j.agreement), "document-clear": "on"}).status_code == 302
    j.agreement.refresh_from_db()
    assert not j.agreement.document


def test_document_missing_is_404(client, j):
    client.force_login(j.user)
    assert client.get(reverse("agreements:agreement_document", kwargs={"pk": j.agreement.pk})).status_code == 404
    j.agreement.document.save("mat.pdf", ContentFile(PDF), save=True)
    j.agreement.document.storage.delete(j.agreement.document.name)
    assert client.get(reverse("agreements:agreement_document", kwargs={"pk": j.agreement.pk})).status_code == 404


def test_document_of_wrong_type_or_too_big_is_refused_with_a_clear_message(client, j, staff, settings):
    client.force_login(staff)
    url = reverse("agreements:agreement_update", kwargs={"pk": j.agreement.pk})
    data = agreement_edit_data(j.agreement)
    data["document"] = SimpleUploadedFile("quy-che.docx", b"PK\x03\x04", content_type="application/msword")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Chỉ nhận văn bản dạng PDF, JPG hoặc PNG" in response.context["form"].errors["document"][0]
    settings.AGREEMENT_DOCUMENT_MAX_BYTES = 10
    data["document"] = SimpleUploadedFile("quy-che.pdf", PDF, content_type="application/pdf")
    response = client.post(url, data)
    assert "Tệp quá lớn" in response.context["form"].errors["document"][0]
    j.agreement.refresh_from_db()
    assert not j.agreement.document


# Query counts -------------------------------------------------------------------------------------


def agreements_for(user, n: int) -> None:
    unit = user.officer.unit
    for _ in range(n):
        agreement = AgreementFactory()
        AgreementPartyFactory(agreement=agreement, unit=unit)
        AgreementPartyFactory(agreement=agreement)
        ClusterFactory(agreement=agreement)


def test_agreement_list_query_count_does_not_grow_with_rows(client):
    few, many = OfficerFactory(role=Role.STAFF).user, OfficerFactory(role=Role.STAFF).user
    agreements_for(few, 5)
    agreements_for(many, 25)  # a full page
    client.force_login(few)
    count_few = count_queries(client, reverse("agreements:agreement_list"))
    client.force_login(many)
    count_many = count_queries(client, reverse("agreements:agreement_list"))
    assert count_few == count_many
    agreements_for(many, 25)  # two pages
    assert count_queries(client, reverse("agreements:agreement_list") + "?page=2") == count_many

"""The registry pages: what each role sees, what the forms save and how service errors come back.

The full role × unit × URL matrix lives in tests/test_access_matrix.py; these tests cover the
behaviour of the pages themselves.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import (
    AdministrativeSuccession,
    Agreement,
    AgreementParty,
    AgreementStatus,
    ClusterMember,
    CoordinationArea,
    Era,
    Role,
)

from .factories import (
    AgreementFactory,
    AgreementPartyFactory,
    BoardMemberFactory,
    ClusterFactory,
    ClusterMemberFactory,
    CommuneFactory,
    MobileTeamFactory,
    MobileTeamMemberFactory,
    OfficerFactory,
    ProvinceFactory,
    UnitFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% van ban da ky\n"


def html_of(response) -> str:
    return response.content.decode()


def error_beside(html: str, field_id: str, message: str) -> bool:
    """The message is rendered inside the block of the field ``field_id`` (before the next field's block)."""
    start = html.find(f'id="{field_id}"')
    if start < 0:
        return False
    following = html.find('id="div_id_', start + 1)
    block = html[start : following if following > 0 else len(html)]
    return message in block


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


def test_agreement_list_shows_only_visible_agreements(client):
    own = jurisdiction()
    other = jurisdiction()
    client.force_login(own["user"])
    response = client.get(reverse("agreements:agreement_list"))
    assert response.status_code == 200
    assert list(response.context["agreements"]) == [own["agreement"]]
    html = html_of(response)
    assert own["agreement"].title in html
    assert own["party_b"].unit.name in html  # parties are listed
    assert other["agreement"].title not in html
    # An officer cannot add agreements, so the button is not offered.
    assert reverse("agreements:agreement_create") not in html


def test_agreement_list_search_is_accent_insensitive_and_filters_status(client):
    own = jurisdiction()
    party = AgreementPartyFactory(unit=own["party_a"].unit, agreement__title="Quy chế phối hợp Phú Long – Thành Vân")
    AgreementPartyFactory(agreement=party.agreement)
    client.force_login(own["user"])
    response = client.get(reverse("agreements:agreement_list"), {"q": "phu long"})
    assert list(response.context["agreements"]) == [party.agreement]
    response = client.get(reverse("agreements:agreement_list"), {"status": AgreementStatus.EXPIRED})
    assert list(response.context["agreements"]) == []
    assert "Không có quy chế nào khớp" in html_of(response)


def test_staff_sees_the_add_button(client):
    own = jurisdiction(role=Role.STAFF)
    client.force_login(own["user"])
    assert reverse("agreements:agreement_create") in html_of(client.get(reverse("agreements:agreement_list")))


def test_agreement_detail_is_404_for_another_units_agreement_and_for_a_missing_one(client):
    own = jurisdiction()
    other = jurisdiction()
    client.force_login(own["user"])
    assert client.get(reverse("agreements:agreement_detail", kwargs={"pk": own["agreement"].pk})).status_code == 200
    assert client.get(reverse("agreements:agreement_detail", kwargs={"pk": other["agreement"].pk})).status_code == 404
    missing = Agreement.objects.order_by("-pk").first().pk + 1000
    assert client.get(reverse("agreements:agreement_detail", kwargs={"pk": missing})).status_code == 404


def test_agreement_detail_shows_parties_clusters_and_supersedes_chain(client):
    own = jurisdiction()
    older = AgreementFactory(title="Quy chế phối hợp năm 2017", status=AgreementStatus.SUPERSEDED)
    AgreementPartyFactory(agreement=older, unit=own["party_a"].unit)
    own["agreement"].supersedes = older
    own["agreement"].save()
    client.force_login(own["user"])
    html = html_of(client.get(own["agreement"].get_absolute_url()))
    assert own["party_b"].unit.name in html
    assert own["party_b"].signatory_name in html
    assert own["cluster"].name in html
    assert "2 xã" in html
    assert "Quy chế phối hợp năm 2017" in html
    assert "01/03/2021" in html  # signed on, dd/mm/yyyy
    html_older = html_of(client.get(older.get_absolute_url()))
    assert "Được thay thế bởi" in html_older
    assert own["agreement"].title in html_older


def test_cluster_list_and_detail_are_scoped(client):
    own = jurisdiction()
    other = jurisdiction()
    client.force_login(own["user"])
    response = client.get(reverse("agreements:cluster_list"))
    assert list(response.context["clusters"]) == [own["cluster"]]
    assert client.get(own["cluster"].get_absolute_url()).status_code == 200
    assert client.get(other["cluster"].get_absolute_url()).status_code == 404
    url = reverse("agreements:cluster_list") + f"?quy_che={other['agreement'].pk}"
    assert client.get(url).status_code == 404


# Rights ---------------------------------------------------------------------------------------


def test_officer_gets_403_on_create_and_edit_but_404_outside(client):
    own = jurisdiction()
    other = jurisdiction()
    client.force_login(own["user"])
    assert client.get(reverse("agreements:agreement_create")).status_code == 403
    assert client.post(reverse("agreements:agreement_create"), {"title": "x"}).status_code == 403
    edit = reverse("agreements:agreement_update", kwargs={"pk": own["agreement"].pk})
    assert client.get(edit).status_code == 403
    assert client.post(edit, agreement_edit_data(own["agreement"], title="Đổi tên")).status_code == 403
    assert client.get(reverse("agreements:agreement_update", kwargs={"pk": other["agreement"].pk})).status_code == 404
    own["agreement"].refresh_from_db()
    assert own["agreement"].title != "Đổi tên"
    assert client.get(reverse("agreements:cluster_member_add", kwargs={"pk": own["cluster"].pk})).status_code == 403


# Creating and editing agreements ----------------------------------------------------------------


def test_staff_creates_an_agreement_with_two_parties_and_history_names_them(client):
    own_unit = UnitFactory(name="Công an huyện Nho Quan")
    partner = UnitFactory(name="Công an huyện Thạch Thành")
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


def test_staff_edits_an_agreement_and_history_shows_the_change(client):
    own = jurisdiction()
    user = staff_of(own["party_a"].unit, first_name="Văn Bình", last_name="Lê")
    client.force_login(user)
    url = reverse("agreements:agreement_update", kwargs={"pk": own["agreement"].pk})
    assert client.get(url).status_code == 200
    response = client.post(url, agreement_edit_data(own["agreement"], title="Quy chế phối hợp (sửa đổi)"))
    assert response.status_code == 302
    own["agreement"].refresh_from_db()
    assert own["agreement"].title == "Quy chế phối hợp (sửa đổi)"
    html = html_of(client.get(own["agreement"].get_absolute_url()))
    history = html[html.index('id="lich-su"') :]
    assert "Cập nhật" in history
    assert "Lê Văn Bình" in history
    assert "Tên quy chế" in history  # the changed field, by its Vietnamese name
    assert "Quy chế phối hợp (sửa đổi)" in history


def test_duplicate_party_shows_message_beside_the_field_and_saves_nothing(client):
    own_unit, partner = UnitFactory(), UnitFactory()
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
    assert error_beside(html, "div_id_parties-2-unit", "Đơn vị này đã được khai báo.")
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
    assert error_beside(html_of(response), "div_id_effective_to", message)


def test_fewer_than_two_parties_is_a_formset_error(client):
    own_unit = UnitFactory()
    client.force_login(staff_of(own_unit))
    response = client.post(reverse("agreements:agreement_create"), agreement_post_data(units=[own_unit]))
    assert response.status_code == 200
    assert "Quy chế phối hợp phải có ít nhất hai bên tham gia." in response.context["formset"].non_form_errors()
    assert not Agreement.objects.filter(number="05/QC-PH").exists()


def test_service_error_comes_back_on_the_page_and_nothing_is_saved(client):
    # The form accepts two foreign units; only the service knows the actor must stay a party.
    own_unit, first, second = UnitFactory(), UnitFactory(), UnitFactory()
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


def test_supersedes_offers_only_visible_agreements(client):
    own = jurisdiction()
    other = jurisdiction()
    client.force_login(staff_of(own["party_a"].unit))
    response = client.get(reverse("agreements:agreement_update", kwargs={"pk": own["agreement"].pk}))
    choices = list(response.context["form"].fields["supersedes"].queryset)
    assert own["agreement"] not in choices  # not itself
    assert other["agreement"] not in choices
    data = agreement_edit_data(own["agreement"], supersedes=str(other["agreement"].pk))
    response = client.post(reverse("agreements:agreement_update", kwargs={"pk": own["agreement"].pk}), data)
    assert response.status_code == 200
    assert "supersedes" in response.context["form"].errors


# The signed document ------------------------------------------------------------------------------


def test_document_upload_and_download_through_the_view(client):
    own = jurisdiction()
    other = jurisdiction()
    client.force_login(staff_of(own["party_a"].unit))
    url = reverse("agreements:agreement_update", kwargs={"pk": own["agreement"].pk})
    data = agreement_edit_data(own["agreement"])
    data["document"] = SimpleUploadedFile("quy-che-da-ky.pdf", PDF, content_type="application/pdf")
    assert client.post(url, data).status_code == 302
    own["agreement"].refresh_from_db()
    assert own["agreement"].document.name.endswith(".pdf")

    download = reverse("agreements:agreement_document", kwargs={"pk": own["agreement"].pk})
    assert download in html_of(client.get(own["agreement"].get_absolute_url()))
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
    client.force_login(own["user"])
    assert client.get(download).status_code == 200
    client.force_login(other["user"])
    assert client.get(download).status_code == 404
    assert client.get(reverse("agreements:agreement_document", kwargs={"pk": other["agreement"].pk})).status_code == 404


def test_stored_document_can_be_removed(client):
    own = jurisdiction()
    own["agreement"].document.save("quy-che.pdf", ContentFile(PDF), save=True)
    client.force_login(staff_of(own["party_a"].unit))
    url = reverse("agreements:agreement_update", kwargs={"pk": own["agreement"].pk})
    assert client.post(url, {**agreement_edit_data(own["agreement"]), "document-clear": "on"}).status_code == 302
    own["agreement"].refresh_from_db()
    assert not own["agreement"].document


def test_document_missing_is_404(client):
    own = jurisdiction()
    client.force_login(own["user"])
    assert client.get(reverse("agreements:agreement_document", kwargs={"pk": own["agreement"].pk})).status_code == 404
    own["agreement"].document.save("mat.pdf", ContentFile(PDF), save=True)
    own["agreement"].document.storage.delete(own["agreement"].document.name)
    assert client.get(reverse("agreements:agreement_document", kwargs={"pk": own["agreement"].pk})).status_code == 404


def test_document_of_wrong_type_or_too_big_is_refused_with_a_clear_message(client, settings):
    own = jurisdiction()
    client.force_login(staff_of(own["party_a"].unit))
    url = reverse("agreements:agreement_update", kwargs={"pk": own["agreement"].pk})
    data = agreement_edit_data(own["agreement"])
    data["document"] = SimpleUploadedFile("quy-che.docx", b"PK\x03\x04", content_type="application/msword")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Chỉ nhận văn bản dạng PDF, JPG hoặc PNG" in response.context["form"].errors["document"][0]
    settings.AGREEMENT_DOCUMENT_MAX_BYTES = 10
    data["document"] = SimpleUploadedFile("quy-che.pdf", PDF, content_type="application/pdf")
    response = client.post(url, data)
    assert "Tệp quá lớn" in response.context["form"].errors["document"][0]
    own["agreement"].refresh_from_db()
    assert not own["agreement"].document


# Clusters -----------------------------------------------------------------------------------------


def test_staff_creates_a_cluster_under_an_agreement(client):
    own = jurisdiction()
    client.force_login(staff_of(own["party_a"].unit))
    url = reverse("agreements:cluster_create", kwargs={"agreement_pk": own["agreement"].pk})
    response = client.post(url, {"name": "Cụm liên hoàn Phú Long", "kind": "linked", "established_on": "2023-05-01"})
    assert response.status_code == 302
    cluster = own["agreement"].clusters.get(name="Cụm liên hoàn Phú Long")
    assert response["Location"] == cluster.get_absolute_url()


def test_staff_edits_a_cluster_and_cannot_move_it_once_it_has_members(client):
    own = jurisdiction()
    client.force_login(staff_of(own["party_a"].unit))
    target = AgreementPartyFactory(unit=own["party_a"].unit).agreement
    url = reverse("agreements:cluster_update", kwargs={"pk": own["cluster"].pk})
    data = {"name": "Cụm giáp ranh Kỳ Phú", "kind": "safe", "agreement": own["agreement"].pk}
    assert client.post(url, data).status_code == 302
    own["cluster"].refresh_from_db()
    assert own["cluster"].name == "Cụm giáp ranh Kỳ Phú"
    response = client.post(url, {**data, "agreement": target.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["agreement"] == [
        "Không thể chuyển cụm sang quy chế khác khi cụm đã có xã thành viên."
    ]
    own["cluster"].refresh_from_db()
    assert own["cluster"].agreement == own["agreement"]


def test_cluster_member_outside_the_partys_area_is_shown_beside_commune(client):
    own = jurisdiction()
    client.force_login(staff_of(own["party_a"].unit))
    across = CommuneFactory(parent=own["party_b"].unit.area)  # the other side of the boundary
    url = reverse("agreements:cluster_member_add", kwargs={"pk": own["cluster"].pk})
    form_page = client.get(url)
    assert across in form_page.context["form"].fields["commune"].queryset
    before = ClusterMember.objects.count()
    response = client.post(
        url, {"commune": across.pk, "responsible_party": own["party_a"].pk, "valid_from": "2024-01-01"}
    )
    assert response.status_code == 200
    assert ClusterMember.objects.count() == before
    errors = response.context["form"].errors["commune"]
    assert "nằm ngoài địa bàn phụ trách" in errors[0]
    assert error_beside(html_of(response), "div_id_commune", "nằm ngoài địa bàn phụ trách")


def test_overlapping_membership_is_refused_with_a_message(client):
    own = jurisdiction()
    client.force_login(staff_of(own["party_a"].unit))
    url = reverse("agreements:cluster_member_add", kwargs={"pk": own["cluster"].pk})
    response = client.post(
        url,
        {"commune": own["member_a"].commune.pk, "responsible_party": own["party_a"].pk, "valid_from": "2022-01-01"},
    )
    assert response.status_code == 200
    message = "Xã này đã là thành viên của cụm trong khoảng thời gian trùng lặp."
    assert message in response.context["form"].errors["valid_from"]
    assert message in html_of(response)
    assert own["cluster"].members.count() == 2


def test_cluster_member_is_added_ended_and_deleted(client):
    own = jurisdiction()
    client.force_login(staff_of(own["party_a"].unit))
    commune = CommuneFactory(parent=own["party_a"].unit.area, name="Xã Kỳ Phú")
    response = client.post(
        reverse("agreements:cluster_member_add", kwargs={"pk": own["cluster"].pk}),
        {"commune": commune.pk, "responsible_party": own["party_a"].pk, "valid_from": "2024-01-01"},
    )
    assert response.status_code == 302
    member = own["cluster"].members.get(commune=commune)
    edit = reverse("agreements:cluster_member_update", kwargs={"pk": member.pk})
    response = client.post(
        edit, {"responsible_party": own["party_a"].pk, "valid_from": "2024-01-01", "valid_to": "2023-06-30"}
    )
    assert response.context["form"].errors["valid_to"] == ["Ngày rời cụm phải sau ngày tham gia."]
    response = client.post(
        edit, {"responsible_party": own["party_a"].pk, "valid_from": "2024-01-01", "valid_to": "2025-06-30"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.valid_to == datetime.date(2025, 6, 30)
    html = html_of(client.get(own["cluster"].get_absolute_url()))
    assert "Đã kết thúc" in html

    delete = reverse("agreements:cluster_member_delete", kwargs={"pk": member.pk})
    assert client.get(delete).status_code == 200
    assert ClusterMember.objects.filter(pk=member.pk).exists()  # GET only asks
    assert client.post(delete).status_code == 302
    assert not ClusterMember.objects.filter(pk=member.pk).exists()
    html = html_of(client.get(own["cluster"].get_absolute_url()))
    history = html[html.index('id="lich-su"') :]
    assert "Xóa" in history
    assert "Xã Kỳ Phú" in history


def test_child_rows_of_another_jurisdiction_are_404(client):
    own = jurisdiction()
    other = jurisdiction()
    board = BoardMemberFactory(cluster=other["cluster"])
    team_member = MobileTeamMemberFactory(team__cluster=other["cluster"], commune=other["member_a"].commune)
    client.force_login(staff_of(own["party_a"].unit))
    for name, pk in (
        ("agreements:cluster_member_update", other["member_a"].pk),
        ("agreements:cluster_member_delete", other["member_a"].pk),
        ("agreements:board_member_delete", board.pk),
        ("agreements:mobile_team_member_delete", team_member.pk),
    ):
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404, name
        assert client.post(reverse(name, kwargs={"pk": pk})).status_code == 404, name
    assert ClusterMember.objects.filter(pk=other["member_a"].pk).exists()


def test_board_and_mobile_team_are_kept_through_the_pages(client):
    own = jurisdiction()
    client.force_login(staff_of(own["party_a"].unit))
    cluster = own["cluster"]
    response = client.post(
        reverse("agreements:board_member_add", kwargs={"pk": cluster.pk}),
        {
            "full_name": "Đinh Văn Hùng",
            "rank": "Thượng tá",
            "position": "Phó Trưởng Công an huyện",
            "unit": own["party_a"].unit.pk,
            "board_role": "head",
            "duties": "Chỉ đạo chung",
        },
    )
    assert response.status_code == 302
    # Members of the team need the team first.
    add_member = reverse("agreements:mobile_team_member_add", kwargs={"pk": cluster.pk})
    assert client.get(add_member)["Location"] == reverse("agreements:mobile_team_update", kwargs={"pk": cluster.pk})
    response = client.post(
        reverse("agreements:mobile_team_update", kwargs={"pk": cluster.pk}), {"name": "Đội công an cơ động cụm"}
    )
    assert response.status_code == 302
    for commune, unit in (
        (own["member_a"].commune, own["party_a"].unit),
        (own["member_b"].commune, own["party_b"].unit),
    ):
        for i in range(3):
            response = client.post(
                add_member,
                {
                    "full_name": f"Chiến sĩ {commune.pk}-{i}",
                    "rank": "Thượng úy",
                    "unit": unit.pk,
                    "commune": commune.pk,
                },
            )
            assert response.status_code == 302
    outsider = CommuneFactory()
    response = client.post(
        add_member, {"full_name": "Người ngoài", "unit": own["party_a"].unit.pk, "commune": outsider.pk}
    )
    assert "commune" in response.context["form"].errors
    html = html_of(client.get(cluster.get_absolute_url()))
    assert "Đinh Văn Hùng" in html and "Trưởng ban" in html
    assert "6 đồng chí, 2 xã" in html
    assert html.count("3 đồng chí") == 2


def test_cluster_detail_shows_what_a_legacy_commune_is_now_part_of(client):
    own = jurisdiction()
    legacy = own["member_a"].commune
    province = ProvinceFactory(era=Era.CURRENT, name="Tỉnh Ninh Bình")
    new = CommuneFactory(era=Era.CURRENT, parent=province, name="Xã Phú Long Mới")
    AdministrativeSuccession.objects.create(old=legacy, new=new)
    client.force_login(own["user"])
    html = html_of(client.get(own["cluster"].get_absolute_url()))
    assert "Trước 01/7/2025" in html
    row = html[html.index(legacy.name) :]
    assert "Nay thuộc:" in row
    assert "Xã Phú Long Mới, Tỉnh Ninh Bình" in row
    assert reverse("agreements:adminunit_detail", kwargs={"pk": new.pk}) in row
    assert legacy.parent.name in row  # its legacy district


# Query counts -------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


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


def cluster_with(n: int) -> dict:
    j = jurisdiction()
    team = MobileTeamFactory(cluster=j["cluster"])
    for _ in range(n):
        member = ClusterMemberFactory(cluster=j["cluster"], responsible_party=j["party_a"])
        new = CommuneFactory(era=Era.CURRENT, parent=ProvinceFactory(era=Era.CURRENT))
        AdministrativeSuccession.objects.create(old=member.commune, new=new)
        BoardMemberFactory(cluster=j["cluster"], unit=j["party_b"].unit)
        MobileTeamMemberFactory(team=team, unit=j["party_a"].unit, commune=member.commune)
    return j


def test_cluster_detail_query_count_does_not_grow_with_rows(client):
    few, many = cluster_with(5), cluster_with(50)
    client.force_login(few["user"])
    count_few = count_queries(client, few["cluster"].get_absolute_url())
    client.force_login(many["user"])
    count_many = count_queries(client, many["cluster"].get_absolute_url())
    assert count_few == count_many


def test_agreement_detail_query_count_does_not_grow_with_rows(client):
    few, many = cluster_with(2), cluster_with(20)
    for j, n in ((few, 2), (many, 20)):
        for _ in range(n):
            AgreementPartyFactory(agreement=j["agreement"])
            ClusterFactory(agreement=j["agreement"])
    client.force_login(few["user"])
    count_few = count_queries(client, few["agreement"].get_absolute_url())
    client.force_login(many["user"])
    count_many = count_queries(client, many["agreement"].get_absolute_url())
    assert count_few == count_many


def test_pages_are_vietnamese_and_load_no_external_resources(client):
    own = jurisdiction(role=Role.STAFF)
    client.force_login(own["user"])
    for url in (
        reverse("agreements:agreement_list"),
        own["agreement"].get_absolute_url(),
        reverse("agreements:agreement_create"),
        own["cluster"].get_absolute_url(),
        reverse("agreements:cluster_member_add", kwargs={"pk": own["cluster"].pk}),
    ):
        html = html_of(client.get(url))
        assert '<html lang="vi">' in html
        assert 'name="viewport"' in html
        assert "Phối hợp vùng giáp ranh" in html
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_login_page_and_lockout_page(client, settings):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in html_of(response)
    officer = OfficerFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": officer.user.username, "password": "sai-mat-khau"})
    assert response.status_code == 429
    html = html_of(response)
    assert "tạm khóa" in html
    assert "1 giờ" in html


def test_vietnamese_number_date_and_name_formats():
    from django.template import Context, Template

    from .factories import UserFactory

    user = UserFactory.build(first_name="Văn An", last_name="Nguyễn")
    rendered = Template(
        "{% load bz_tags %}{{ 1290|vn_number }}|{{ 88.6|vn_number:1 }}|{{ 6|two_digits }}|{{ user|person_name }}"
        "|{{ day|date:'SHORT_DATE_FORMAT' }}"
    ).render(Context({"user": user, "day": datetime.date(2023, 12, 28)}))
    assert rendered == "1.290|88,6|06|Nguyễn Văn An|28/12/2023"

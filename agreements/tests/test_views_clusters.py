"""The cluster pages: list and detail, members, board and mobile team, and their query counts.

The full role × unit × URL matrix lives in tests/test_access_matrix.py; these tests cover the
behaviour of the pages themselves.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from agreements.models import AdministrativeSuccession, ClusterMember, Era
from tests.helpers import count_queries, error_beside, html_of

from .factories import (
    AgreementPartyFactory,
    BoardMemberFactory,
    ClusterFactory,
    ClusterMemberFactory,
    CommuneFactory,
    Jurisdiction,
    MobileTeamFactory,
    MobileTeamMemberFactory,
    ProvinceFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db


# Lists and detail ---------------------------------------------------------------------------------


def test_cluster_list_and_detail_are_scoped(client, j, other_j):
    client.force_login(j.user)
    response = client.get(reverse("agreements:cluster_list"))
    assert list(response.context["clusters"]) == [j.cluster]
    assert client.get(j.cluster.get_absolute_url()).status_code == 200
    assert client.get(other_j.cluster.get_absolute_url()).status_code == 404
    url = reverse("agreements:cluster_list") + f"?quy_che={other_j.agreement.pk}"
    assert client.get(url).status_code == 404


# Clusters -----------------------------------------------------------------------------------------


def test_staff_creates_a_cluster_under_an_agreement(client, j, staff):
    client.force_login(staff)
    url = reverse("agreements:cluster_create", kwargs={"agreement_pk": j.agreement.pk})
    response = client.post(url, {"name": "Cụm liên hoàn Phú Long", "kind": "linked", "established_on": "2023-05-01"})
    assert response.status_code == 302
    cluster = j.agreement.clusters.get(name="Cụm liên hoàn Phú Long")
    assert response["Location"] == cluster.get_absolute_url()


def test_staff_edits_a_cluster_and_cannot_move_it_once_it_has_members(client, j, staff):
    client.force_login(staff)
    target = AgreementPartyFactory(unit=j.unit_a).agreement
    url = reverse("agreements:cluster_update", kwargs={"pk": j.cluster.pk})
    data = {"name": "Cụm giáp ranh Kỳ Phú", "kind": "safe", "agreement": j.agreement.pk}
    assert client.post(url, data).status_code == 302
    j.cluster.refresh_from_db()
    assert j.cluster.name == "Cụm giáp ranh Kỳ Phú"
    response = client.post(url, {**data, "agreement": target.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["agreement"] == [
        "Không thể chuyển cụm sang quy chế khác khi cụm đã có xã thành viên."
    ]
    j.cluster.refresh_from_db()
    assert j.cluster.agreement == j.agreement


def test_cluster_member_outside_the_partys_area_is_shown_beside_commune(client, j, staff):
    client.force_login(staff)
    across = CommuneFactory(parent=j.unit_b.area)  # the other side of the boundary
    url = reverse("agreements:cluster_member_add", kwargs={"pk": j.cluster.pk})
    form_page = client.get(url)
    assert across in form_page.context["form"].fields["commune"].queryset
    before = ClusterMember.objects.count()
    response = client.post(
        url, {"commune": across.pk, "responsible_party": j.party_a.pk, "valid_from": "2024-01-01"}
    )
    assert response.status_code == 200
    assert ClusterMember.objects.count() == before
    errors = response.context["form"].errors["commune"]
    assert "nằm ngoài địa bàn phụ trách" in errors[0]
    assert error_beside(html_of(response), "commune", "nằm ngoài địa bàn phụ trách")


def test_overlapping_membership_is_refused_with_a_message(client, j, staff):
    client.force_login(staff)
    url = reverse("agreements:cluster_member_add", kwargs={"pk": j.cluster.pk})
    response = client.post(
        url,
        {"commune": j.commune_a.pk, "responsible_party": j.party_a.pk, "valid_from": "2022-01-01"},
    )
    assert response.status_code == 200
    message = "Xã này đã là thành viên của cụm trong khoảng thời gian trùng lặp."
    assert message in response.context["form"].errors["valid_from"]
    assert message in html_of(response)
    assert j.cluster.members.count() == 2


def test_cluster_member_is_added_ended_and_deleted(client, j, staff):
    client.force_login(staff)
    commune = CommuneFactory(parent=j.unit_a.area, name="Xã Kỳ Phú")
    response = client.post(
        reverse("agreements:cluster_member_add", kwargs={"pk": j.cluster.pk}),
        {"commune": commune.pk, "responsible_party": j.party_a.pk, "valid_from": "2024-01-01"},
    )
    assert response.status_code == 302
    member = j.cluster.members.get(commune=commune)
    edit = reverse("agreements:cluster_member_update", kwargs={"pk": member.pk})
    response = client.post(
        edit, {"responsible_party": j.party_a.pk, "valid_from": "2024-01-01", "valid_to": "2023-06-30"}
    )
    assert response.context["form"].errors["valid_to"] == ["Ngày rời cụm phải sau ngày tham gia."]
    response = client.post(
        edit, {"responsible_party": j.party_a.pk, "valid_from": "2024-01-01", "valid_to": "2025-06-30"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.valid_to == datetime.date(2025, 6, 30)
    html = html_of(client.get(j.cluster.get_absolute_url()))
    assert "Đã kết thúc" in html

    delete = reverse("agreements:cluster_member_delete", kwargs={"pk": member.pk})
    assert client.get(delete).status_code == 200
    assert ClusterMember.objects.filter(pk=member.pk).exists()  # GET only asks
    assert client.post(delete).status_code == 302
    assert not ClusterMember.objects.filter(pk=member.pk).exists()
    html = html_of(client.get(j.cluster.get_absolute_url()))
    history = html[html.index('id="lich-su"') :]
    assert "Xóa" in history
    assert "Xã Kỳ Phú" in history


def test_child_rows_of_another_jurisdiction_are_404(client, j, other_j, staff):
    board = BoardMemberFactory(cluster=other_j.cluster)
    team_member = MobileTeamMemberFactory(team__cluster=other_j.cluster, commune=other_j.commune_a)
    client.force_login(staff)
    for name, pk in (
        ("agreements:cluster_member_update", other_j.member_a.pk),
        ("agreements:cluster_member_delete", other_j.member_a.pk),
        ("agreements:board_member_delete", board.pk),
        ("agreements:mobile_team_member_delete", team_member.pk),
    ):
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404, name
        assert client.post(reverse(name, kwargs={"pk": pk})).status_code == 404, name
    assert ClusterMember.objects.filter(pk=other_j.member_a.pk).exists()


def test_board_and_mobile_team_are_kept_through_the_pages(client, j, staff):
    client.force_login(staff)
    cluster = j.cluster
    response = client.post(
        reverse("agreements:board_member_add", kwargs={"pk": cluster.pk}),
        {
            "full_name": "Đinh Văn Hùng",
            "rank": "Thượng tá",
            "position": "Phó Trưởng Công an huyện",
            "unit": j.unit_a.pk,
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
    for commune, unit in ((j.commune_a, j.unit_a), (j.commune_b, j.unit_b)):
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
    response = client.post(add_member, {"full_name": "Người ngoài", "unit": j.unit_a.pk, "commune": outsider.pk})
    assert "commune" in response.context["form"].errors
    html = html_of(client.get(cluster.get_absolute_url()))
    assert "Đinh Văn Hùng" in html and "Trưởng ban" in html
    assert "6 đồng chí, 2 xã" in html
    assert html.count("3 đồng chí") == 2


def test_cluster_detail_shows_what_a_legacy_commune_is_now_part_of(client, j):
    legacy = j.commune_a
    province = ProvinceFactory(era=Era.CURRENT, name="Tỉnh Ninh Bình")
    new = CommuneFactory(era=Era.CURRENT, parent=province, name="Xã Phú Long Mới")
    AdministrativeSuccession.objects.create(old=legacy, new=new)
    client.force_login(j.user)
    html = html_of(client.get(j.cluster.get_absolute_url()))
    assert "Trước 01/7/2025" in html
    row = html[html.index(legacy.name) :]
    assert "Nay thuộc:" in row
    assert "Xã Phú Long Mới, Tỉnh Ninh Bình" in row
    assert reverse("agreements:adminunit_detail", kwargs={"pk": new.pk}) in row
    assert legacy.parent.name in row  # its legacy district


# Query counts -------------------------------------------------------------------------------------


def cluster_with(n: int) -> Jurisdiction:
    """A jurisdiction whose cluster has ``n`` more members, board members and mobile team members."""
    j = jurisdiction()
    team = MobileTeamFactory(cluster=j.cluster)
    for _ in range(n):
        member = ClusterMemberFactory(cluster=j.cluster, responsible_party=j.party_a)
        new = CommuneFactory(era=Era.CURRENT, parent=ProvinceFactory(era=Era.CURRENT))
        AdministrativeSuccession.objects.create(old=member.commune, new=new)
        BoardMemberFactory(cluster=j.cluster, unit=j.unit_b)
        MobileTeamMemberFactory(team=team, unit=j.unit_a, commune=member.commune)
    return j


def test_cluster_detail_query_count_does_not_grow_with_rows(client):
    few, many = cluster_with(5), cluster_with(50)
    client.force_login(few.user)
    count_few = count_queries(client, few.cluster.get_absolute_url())
    client.force_login(many.user)
    count_many = count_queries(client, many.cluster.get_absolute_url())
    assert count_few == count_many


def test_agreement_detail_query_count_does_not_grow_with_rows(client):
    few, many = cluster_with(2), cluster_with(20)
    for j, n in ((few, 2), (many, 20)):
        for _ in range(n):
            AgreementPartyFactory(agreement=j.agreement)
            ClusterFactory(agreement=j.agreement)
    client.force_login(few.user)
    count_few = count_queries(client, few.agreement.get_absolute_url())
    client.force_login(many.user)
    count_many = count_queries(client, many.agreement.get_absolute_url())
    assert count_few == count_many

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Role
from agreements.tests.factories import (
    ClusterMemberFactory,
    CommuneFactory,
    OfficerFactory,
    UnitFactory,
    jurisdiction,
)
from patrols import services
from patrols.models import Campaign, Checkpoint, Patrol, PatrolParticipant, PatrolStatus
from patrols.services import ParticipationData
from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory, local

pytestmark = pytest.mark.django_db

CREATE = reverse("patrols:patrol_create")
LIST = reverse("patrols:patrol_list")


@pytest.fixture
def j():
    return jurisdiction()


@pytest.fixture
def partner(j):
    return OfficerFactory(unit=j["party_b"].unit).user


def form_data(j, *, rows=None, **overrides) -> dict:
    """What the phone posts: the patrol's fields plus three rows of participating units."""
    a, b = j["party_a"].unit.pk, j["party_b"].unit.pk
    rows = rows if rows is not None else [(a, "4"), (b, "3"), ("", "")]
    data = {
        "scope": f"c{j['cluster'].pk}",
        "programme": "Tuyến biển bình yên",
        "started_at": "2023-05-10T19:00",
        "ended_at": "2023-05-10T23:00",
        "status": "done",
        "communes": [j["member_a"].commune.pk, j["member_b"].commune.pk],
        "route": "Đường ven biển thôn Đông",
        "findings": "Nhắc nhở 2 nhóm thanh niên tụ tập",
        "lead_unit": a,
        "don_vi-TOTAL_FORMS": str(len(rows)),
        "don_vi-INITIAL_FORMS": "1",
        "don_vi-MIN_NUM_FORMS": "0",
        "don_vi-MAX_NUM_FORMS": "1000",
    }
    for index, (unit, officers) in enumerate(rows):
        data[f"don_vi-{index}-unit"] = unit
        data[f"don_vi-{index}-officers"] = officers
    data.update(overrides)
    return data


def log(j, **overrides) -> Patrol:
    values = dict(
        actor=j["user"],
        agreement=j["agreement"],
        cluster=j["cluster"],
        lead_unit=j["party_a"].unit,
        started_at=local(2023, 5, 10, 19, 0),
        ended_at=local(2023, 5, 10, 23, 0),
        communes=[j["member_a"].commune],
        participations=[ParticipationData(j["party_a"].unit, 4), ParticipationData(j["party_b"].unit, 3)],
        programme="Tuyến biển bình yên",
    )
    values.update(overrides)
    return services.patrol_create(**values)


# Logging a patrol -------------------------------------------------------------------------------


def test_create_form_prefills_today_the_users_unit_and_his_cluster(client, j):
    client.force_login(j["user"])
    response = client.get(CREATE)
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    assert form.initial["scope"] == f"c{j['cluster'].pk}"
    assert form.initial["lead_unit"] == j["party_a"].unit.pk
    assert form.initial["started_at"].date() == timezone.localdate()
    assert form.initial["ended_at"] >= form.initial["started_at"]
    assert formset.forms[0].initial["unit"] == j["party_a"].unit.pk
    html = response.content.decode()
    assert "Ghi nhận ca tuần tra chung" in html
    assert f'value="c{j["cluster"].pk}" selected' in html
    # The cluster's members are offered as checkboxes.
    assert j["member_a"].commune.name in html and j["member_b"].commune.name in html
    assert "Thêm đơn vị" in html


def test_cluster_holding_the_users_area_is_preselected(client, j):
    # A second cluster under the same agreement, listed first by name, without the officer's area.
    from agreements.tests.factories import ClusterFactory

    other = ClusterFactory(agreement=j["agreement"], name="A – cụm khác")
    ClusterMemberFactory(cluster=other, responsible_party=j["party_b"])
    # The officer is a commune police officer of a member commune of the fixture's cluster.
    commune_unit = UnitFactory(area=j["member_a"].commune, parent=j["party_a"].unit, name="Công an xã Thử")
    user = OfficerFactory(unit=commune_unit).user
    client.force_login(user)
    form = client.get(CREATE).context["form"]
    assert form.initial["scope"] == f"c{j['cluster'].pk}"


def test_create_via_post_lands_on_detail(client, j):
    client.force_login(j["user"])
    response = client.post(CREATE, form_data(j), follow=True)
    patrol = Patrol.objects.get()
    assert response.redirect_chain[-1][0] == reverse("patrols:patrol_detail", args=[patrol.pk])
    assert patrol.officer_total == 7
    assert patrol.lead_unit == j["party_a"].unit
    assert patrol.cluster == j["cluster"] and patrol.agreement == j["agreement"]
    assert timezone.localtime(patrol.started_at).strftime("%d/%m/%Y %H:%M") == "10/05/2023 19:00"
    assert set(patrol.communes.all()) == {j["member_a"].commune, j["member_b"].commune}
    html = response.content.decode()
    assert "Đã ghi nhận ca tuần tra ngày 10/05/2023." in html
    assert "Tuyến biển bình yên" in html
    assert "7 lượt người" in html


def test_agreement_wide_patrol_without_cluster(client, j):
    client.force_login(j["user"])
    data = form_data(j, scope=f"a{j['agreement'].pk}", communes=[j["member_a"].commune.pk])
    response = client.post(CREATE, data)
    assert response.status_code == 302
    patrol = Patrol.objects.get()
    assert patrol.cluster is None and patrol.agreement == j["agreement"]


BAD_INPUTS = {
    "end before start": (
        {"ended_at": "2023-05-10T18:00"},
        None,
        "ended_at",
        "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
    ),
    "future and done": (
        {"started_at": "2099-05-10T19:00", "ended_at": "2099-05-10T23:00"},
        None,
        "started_at",
        "Thời điểm này nằm ở tương lai.",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(client, j, case):
    overrides, _rows, field, message = BAD_INPUTS[case]
    client.force_login(j["user"])
    data = form_data(j, **overrides)
    response = client.post(CREATE, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    html = response.content.decode()
    assert message in html
    # Typed values are kept.
    assert f'value="{data["started_at"]}"' in html
    assert 'value="Tuyến biển bình yên"' in html
    assert "Nhắc nhở 2 nhóm thanh niên tụ tập" in html
    assert not Patrol.objects.exists()


@pytest.mark.parametrize("officers", ["0", "-2"])
def test_zero_or_negative_officers_are_refused_beside_the_row(client, j, officers):
    client.force_login(j["user"])
    rows = [(j["party_a"].unit.pk, "4"), (j["party_b"].unit.pk, officers), ("", "")]
    response = client.post(CREATE, form_data(j, rows=rows))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[1].errors["officers"] == ["Số cán bộ, chiến sĩ phải lớn hơn 0."]
    html = response.content.decode()
    assert "Số cán bộ, chiến sĩ phải lớn hơn 0." in html
    assert f'value="{officers}"' in html
    assert not Patrol.objects.exists()


def test_commune_outside_the_cluster_is_refused_with_the_services_message(client, j):
    outsider = CommuneFactory(parent=j["party_a"].unit.area, name="Xã Ngoài Cụm")  # in the party's area only
    client.force_login(j["user"])
    response = client.post(CREATE, form_data(j, communes=[j["member_a"].commune.pk, outsider.pk]))
    assert response.status_code == 200
    errors = response.context["form"].errors["communes"]
    assert errors == ["Xã Ngoài Cụm không thuộc cụm vào ngày 10/05/2023."]
    html = response.content.decode()
    assert "Xã Ngoài Cụm không thuộc cụm vào ngày 10/05/2023." in html
    # Both ticks survive the round trip, the outsider included so it can be unticked.
    assert html.count('name="communes"') >= 3 and html.count("checked") >= 2
    assert not Patrol.objects.exists()


def test_commune_of_another_jurisdiction_is_an_invalid_choice(client, j):
    foreign = jurisdiction()["member_a"].commune
    client.force_login(j["user"])
    response = client.post(CREATE, form_data(j, communes=[foreign.pk]))
    assert response.context["form"].errors["communes"] == [
        "Xã, phường đã chọn không thuộc cụm hoặc địa bàn của quy chế."
    ]
    assert not Patrol.objects.exists()


def test_service_errors_on_participations_go_above_the_rows(client, j):
    client.force_login(j["user"])
    stranger = UnitFactory(name="Đồn Biên phòng Ngoài Quy Chế")
    rows = [(j["party_a"].unit.pk, "4"), (stranger.pk, "2")]
    response = client.post(CREATE, form_data(j, rows=rows))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [
        "Đồn Biên phòng Ngoài Quy Chế không thuộc các bên của quy chế."
    ]
    rows = [(j["party_b"].unit.pk, "4")]  # the lead unit is missing
    response = client.post(CREATE, form_data(j, rows=rows))
    assert response.context["formset"].non_form_errors() == ["Đơn vị chủ trì phải có trong danh sách đơn vị tham gia."]
    assert "Đơn vị chủ trì phải có trong danh sách đơn vị tham gia." in response.content.decode()
    assert not Patrol.objects.exists()


def test_duplicate_unit_and_empty_rows(client, j):
    client.force_login(j["user"])
    a = j["party_a"].unit.pk
    response = client.post(CREATE, form_data(j, rows=[(a, "4"), (a, "2")]))
    assert response.context["formset"].forms[1].errors["unit"] == ["Đơn vị này đã được khai báo ở dòng trên."]
    response = client.post(CREATE, form_data(j, rows=[("", ""), ("", "")]))
    assert response.context["formset"].non_form_errors() == ["Nhập ít nhất một đơn vị tham gia và số cán bộ, chiến sĩ."]
    response = client.post(CREATE, form_data(j, rows=[(a, "")]))
    assert response.context["formset"].forms[0].errors["officers"] == ["Nhập số cán bộ, chiến sĩ của đơn vị này."]
    assert not Patrol.objects.exists()


def test_missing_scope_is_reported(client, j):
    client.force_login(j["user"])
    response = client.post(CREATE, form_data(j, scope=""))
    assert response.context["form"].errors["scope"] == ["Chọn cụm giáp ranh hoặc quy chế phối hợp."]
    foreign = jurisdiction()["cluster"]
    response = client.post(CREATE, form_data(j, scope=f"c{foreign.pk}"))
    assert "scope" in response.context["form"].errors
    assert not Patrol.objects.exists()


def test_user_without_a_unit_cannot_log(client):
    from agreements.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(CREATE).status_code == 403


def test_communes_are_redrawn_for_the_chosen_cluster(client, j):
    from agreements.tests.factories import ClusterFactory

    other = ClusterFactory(agreement=j["agreement"])
    member = ClusterMemberFactory(cluster=other, responsible_party=j["party_b"])
    client.force_login(j["user"])
    response = client.get(
        CREATE,
        {"_cap_nhat": "1", "scope": f"c{other.pk}", "started_at": "2023-05-10T19:00"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="communes-block"' in html and "<html" not in html
    assert member.commune.name in html
    assert j["member_a"].commune.name not in html
    # What was ticked stays ticked when the list is re-drawn.
    ticked = [j["member_a"].commune.pk, j["member_b"].commune.pk]
    response = client.get(
        CREATE, {"_cap_nhat": "1", "scope": f"a{j['agreement'].pk}", "communes": ticked}, headers={"HX-Request": "true"}
    )
    form = response.context["form"]
    assert [str(pk) for pk in ticked] == form["communes"].value()
    assert response.content.decode().count("checked") == 2


# Detail, confirmation, editing -------------------------------------------------------------------


def test_detail_shows_everything(client, j, partner):
    patrol = log(j, findings="Phát hiện 1 vụ vận chuyển khoáng sản không rõ nguồn gốc")
    PatrolParticipant.objects.create(patrol=patrol, full_name="Lê Văn Tuần", rank="Thượng úy", unit=j["party_a"].unit)
    client.force_login(j["user"])
    html = client.get(patrol.get_absolute_url()).content.decode()
    for text in (
        "Tuyến biển bình yên",
        j["party_a"].unit.name,
        j["party_b"].unit.name,
        "7 lượt người",
        j["member_a"].commune.name,
        "Phát hiện 1 vụ vận chuyển khoáng sản",
        "Lê Văn Tuần",
        "Lịch sử thay đổi",
        "Tạo mới",
        "Đã thực hiện",
        "10/05/2023 19:00",
    ):
        assert text in html, text
    assert "Sửa ca tuần tra" in html
    assert reverse("patrols:patrol_confirm", args=[patrol.pk]) not in html  # the lead cannot confirm


def test_partner_confirms_via_post(client, j, partner):
    patrol = log(j)
    client.force_login(partner)
    detail = client.get(patrol.get_absolute_url()).content.decode()
    assert reverse("patrols:patrol_confirm", args=[patrol.pk]) in detail
    assert "Sửa ca tuần tra" not in detail
    response = client.post(reverse("patrols:patrol_confirm", args=[patrol.pk]), follow=True)
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.CONFIRMED and patrol.confirmed_by == partner
    html = response.content.decode()
    assert "Đã xác nhận ca tuần tra ngày 10/05/2023" in html
    assert "Đơn vị bạn đã xác nhận" in html
    assert response.redirect_chain[-1][0] == patrol.get_absolute_url()


def test_lead_cannot_confirm(client, j):
    patrol = log(j)
    client.force_login(j["user"])
    assert client.post(reverse("patrols:patrol_confirm", args=[patrol.pk])).status_code == 403
    assert client.get(reverse("patrols:patrol_confirm", args=[patrol.pk])).status_code == 403
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.DONE


def test_planned_patrol_cannot_be_confirmed_yet(client, j, partner):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    patrol = log(j, status=PatrolStatus.PLANNED, started_at=tomorrow, ended_at=tomorrow + datetime.timedelta(hours=2))
    client.force_login(partner)
    assert "btn-success" not in client.get(patrol.get_absolute_url()).content.decode()
    response = client.post(reverse("patrols:patrol_confirm", args=[patrol.pk]), follow=True)
    assert "Ca tuần tra chưa thực hiện, chưa thể xác nhận." in response.content.decode()
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.PLANNED


def test_another_jurisdictions_patrol_is_not_found(client, j):
    other = jurisdiction()
    foreign = log(other)
    client.force_login(j["user"])
    for name in ("patrols:patrol_detail", "patrols:patrol_update", "patrols:patrol_confirm"):
        url = reverse(name, args=[foreign.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, form_data(j)).status_code == 404, name
    foreign.refresh_from_db()
    assert foreign.status == PatrolStatus.DONE and foreign.programme == "Tuyến biển bình yên"


def test_partner_cannot_edit(client, j, partner):
    patrol = log(j)
    client.force_login(partner)
    url = reverse("patrols:patrol_update", args=[patrol.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(j, findings="Sửa trái phép")).status_code == 403
    patrol.refresh_from_db()
    assert patrol.findings == ""


def test_lead_edits_and_a_confirmed_patrol_needs_confirming_again(client, j, partner):
    patrol = services.patrol_confirm(actor=partner, patrol=log(j))
    PatrolParticipant.objects.create(patrol=patrol, full_name="Lê Văn Tuần", unit=j["party_a"].unit)
    client.force_login(j["user"])
    url = reverse("patrols:patrol_update", args=[patrol.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "phải xác nhận lại" in page.content.decode()
    form = page.context["form"]
    assert form.initial["scope"] == f"c{j['cluster'].pk}"
    assert "lead_unit" not in form.fields
    data = form_data(
        j,
        findings="Bổ sung: phát hiện 1 điểm tụ tập đánh bạc",
        rows=[(j["party_a"].unit.pk, "5"), (j["party_b"].unit.pk, "3")],
    )
    data.pop("lead_unit")
    response = client.post(url, data, follow=True)
    assert "cần đơn vị bạn xác nhận lại" in response.content.decode()
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.DONE and patrol.confirmed_by is None
    assert patrol.officer_total == 8
    assert patrol.findings == "Bổ sung: phát hiện 1 điểm tụ tập đánh bạc"
    assert list(patrol.participants.values_list("full_name", flat=True)) == ["Lê Văn Tuần"]


def test_edit_with_bad_input_keeps_the_stored_patrol(client, j):
    patrol = log(j)
    client.force_login(j["user"])
    data = form_data(j, ended_at="2023-05-10T10:00")
    data.pop("lead_unit")
    response = client.post(reverse("patrols:patrol_update", args=[patrol.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ended_at"]
    patrol.refresh_from_db()
    assert timezone.localtime(patrol.ended_at).hour == 23


def test_pending_list_for_the_partner(client, j, partner):
    patrol = log(j)
    confirmed = services.patrol_confirm(actor=partner, patrol=log(j, programme="Đã xác nhận rồi"))
    client.force_login(partner)
    html = client.get(reverse("patrols:patrol_pending")).content.decode()
    assert patrol.get_absolute_url() in html
    assert confirmed.get_absolute_url() not in html
    assert reverse("patrols:patrol_confirm", args=[patrol.pk]) in html
    client.force_login(j["user"])
    html = client.get(reverse("patrols:patrol_pending")).content.decode()
    assert patrol.get_absolute_url() not in html
    assert "Không có ca tuần tra nào chờ đơn vị của bạn xác nhận." in html


# The list and its filters ------------------------------------------------------------------------


@pytest.fixture
def listed(j):
    """Patrols under the fixture's agreement with known figures."""
    a, b = j["party_a"].unit, j["party_b"].unit
    rows = []
    specs = [
        # (start, programme, cluster?, status, officer_total, commune)
        (local(2022, 3, 5, 20), "Tuyến biển bình yên", True, PatrolStatus.DONE, 430, j["member_a"].commune),
        (local(2023, 1, 15, 20), "Tuyến biển bình yên", True, PatrolStatus.CONFIRMED, 430, j["member_b"].commune),
        (local(2023, 6, 1, 8), "Tuần tra đêm", True, PatrolStatus.DONE, 430, j["member_a"].commune),
        (local(2023, 12, 31, 22), "Tuần tra đêm", False, PatrolStatus.PLANNED, 10, None),
    ]
    for start, programme, in_cluster, status, total, commune in specs:
        patrol = PatrolFactory(
            agreement=j["agreement"],
            cluster=j["cluster"] if in_cluster else None,
            lead_unit=a,
            started_at=start,
            programme=programme,
            status=status,
            officer_total=total,
        )
        PatrolParticipationFactory(patrol=patrol, unit=a, officers=total - 5 if total > 5 else total)
        if in_cluster:
            PatrolParticipationFactory(patrol=patrol, unit=b, officers=5)
        if commune is not None:
            patrol.communes.add(commune)
        rows.append(patrol)
    # Another jurisdiction's patrol never counts.
    other = jurisdiction()
    PatrolFactory(
        agreement=other["agreement"],
        lead_unit=other["party_a"].unit,
        programme="Tuyến biển bình yên",
        officer_total=999,
    )
    return rows


def _totals(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return response.context["total_count"], response.context["total_officers"], response


def test_list_counts_and_person_participations(client, j, listed):
    client.force_login(j["user"])
    count, officers, response = _totals(client)
    assert (count, officers) == (4, 1300)
    html = response.content.decode()
    assert "<strong>4</strong> ca tuần tra, <strong>1.300</strong> lượt người" in html
    count, officers, response = _totals(client, nam="2023")
    assert (count, officers) == (3, 870)
    count, officers, response = _totals(client, nam="2023", trang_thai="done")
    assert (count, officers) == (1, 430)
    assert _totals(client, tu_ngay="2023-01-01", den_ngay="2023-06-01")[:2] == (2, 860)  # "đến ngày" is inclusive
    assert _totals(client, tu_ngay="01/01/2023", den_ngay="31/05/2023")[:2] == (1, 430)  # dd/mm/yyyy typed
    assert _totals(client, cum=str(j["cluster"].pk))[:2] == (3, 1290)
    assert _totals(client, quy_che=str(j["agreement"].pk))[:2] == (4, 1300)
    assert _totals(client, xa=str(j["member_a"].commune.pk))[:2] == (2, 860)
    assert _totals(client, don_vi=str(j["party_b"].unit.pk))[:2] == (3, 1290)
    assert _totals(client, mo_hinh="tuan tra dem")[:2] == (2, 440)
    html = _totals(client, cum=str(j["cluster"].pk))[2].content.decode()
    assert "<strong>3</strong> ca tuần tra, <strong>1.290</strong> lượt người" in html


def test_search_ignores_accents(client, j, listed):
    client.force_login(j["user"])
    count, officers, response = _totals(client, q="tuyen bien binh yen")
    assert (count, officers) == (2, 860)
    html = response.content.decode()
    assert listed[0].get_absolute_url() in html and listed[1].get_absolute_url() in html
    assert listed[2].get_absolute_url() not in html and listed[3].get_absolute_url() not in html
    # A patrol matching through two communes is counted once.
    assert _totals(client, q="Xã Thử Nghiệm")[:2] == (3, 1290)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"tu_ngay": "32/13/2023"}, "tu_ngay"),
        ({"nam": "abc"}, "nam"),
        ({"tu_ngay": "2023-06-01", "den_ngay": "2023-01-01"}, "den_ngay"),
        ({"quy_che": "999999"}, "quy_che"),
        ({"don_vi": "x"}, "don_vi"),
    ],
)
def test_invalid_filters_are_reported_beside_the_field(client, j, listed, params, field):
    client.force_login(j["user"])
    response = client.get(LIST, params)
    assert response.status_code == 200
    form = response.context["filter_form"]
    assert field in form.errors
    assert str(form.errors[field][0]) in response.content.decode()
    # The invalid filter is left out; the others still apply.
    assert response.context["total_count"] == 4


def test_foreign_agreement_filter_shows_nothing_of_it(client, j, listed):
    other = jurisdiction()
    client.force_login(j["user"])
    response = client.get(LIST, {"quy_che": other["agreement"].pk})
    assert "quy_che" in response.context["filter_form"].errors
    assert other["agreement"].title not in response.content.decode()


def test_list_paginates_by_25(client, j):
    for day in range(1, 31):
        PatrolFactory(
            agreement=j["agreement"],
            cluster=j["cluster"],
            lead_unit=j["party_a"].unit,
            started_at=local(2023, 4, day, 20),
        )
    client.force_login(j["user"])
    response = client.get(LIST)
    assert len(response.context["patrols"]) == 25
    assert response.context["paginator"].count == 30
    assert len(client.get(LIST, {"page": 2}).context["patrols"]) == 5


# Query counts ------------------------------------------------------------------------------------


def _make_patrols(j, n):
    units = [j["party_a"].unit, j["party_b"].unit]
    for i in range(n):
        patrol = PatrolFactory(
            agreement=j["agreement"],
            cluster=j["cluster"],
            lead_unit=units[0],
            started_at=local(2023, 1, 1, 8) + datetime.timedelta(days=i),
        )
        for unit in units:
            PatrolParticipationFactory(patrol=patrol, unit=unit)
        patrol.communes.add(j["member_a"].commune, j["member_b"].commune)


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "thu nghiem", "don_vi": "UNIT", "nam": "2023"}])
def test_list_query_count_does_not_grow_with_rows(client, params):
    small, large = jurisdiction(), jurisdiction()
    _make_patrols(small, 5)
    _make_patrols(large, 50)
    counts = []
    for world in (small, large):
        client.force_login(world["user"])
        query = {k: (world["party_a"].unit.pk if v == "UNIT" else v) for k, v in params.items()}
        _queries(client, LIST, query)  # warm caches (content types, sessions)
        counts.append(_queries(client, LIST, query))
    assert counts[0] == counts[1]


def test_detail_query_count_does_not_grow_with_participations_or_history(client):
    # Both worlds first: pghistory's request context lasts for the test's transaction.
    worlds = []
    for size in (2, 12):
        world = jurisdiction()
        patrol = PatrolFactory(agreement=world["agreement"], cluster=world["cluster"], lead_unit=world["party_a"].unit)
        PatrolParticipationFactory(patrol=patrol, unit=world["party_a"].unit)
        PatrolParticipationFactory(patrol=patrol, unit=world["party_b"].unit)
        for _ in range(size):
            PatrolParticipationFactory(patrol=patrol, unit=UnitFactory(parent=world["party_b"].unit))
            member = ClusterMemberFactory(cluster=world["cluster"], responsible_party=world["party_b"])
            patrol.communes.add(member.commune)
            PatrolParticipant.objects.create(patrol=patrol, full_name="Người tham gia", unit=world["party_a"].unit)
        worlds.append((world, patrol))
    counts = []
    for world, patrol in worlds:
        client.force_login(world["user"])
        url = patrol.get_absolute_url()
        _queries(client, url)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


def test_pending_query_count_does_not_grow_with_rows(client):
    worlds = []
    for size in (3, 30):
        world = jurisdiction()
        _make_patrols(world, size)
        worlds.append((world, OfficerFactory(unit=world["party_b"].unit).user))
    counts = []
    for _world, partner in worlds:
        client.force_login(partner)
        url = reverse("patrols:patrol_pending")
        _queries(client, url)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


# Campaigns and checkpoints -----------------------------------------------------------------------


def test_campaign_create_and_list(client, j):
    client.force_login(j["user"])
    page = client.get(reverse("patrols:campaign_create"))
    assert page.status_code == 200
    assert j["party_b"].unit.name in page.content.decode()
    data = {
        "scope": f"c{j['cluster'].pk}",
        "name": "Đợt cao điểm tấn công trấn áp tội phạm Tết Quý Mão",
        "starts_on": "2023-01-05",
        "ends_on": "2023-02-15",
        "units": [j["party_a"].unit.pk, j["party_b"].unit.pk],
        "targets": "Triệt phá các tụ điểm đánh bạc",
    }
    response = client.post(reverse("patrols:campaign_create"), data, follow=True)
    campaign = Campaign.objects.get()
    assert campaign.cluster == j["cluster"] and campaign.agreement == j["agreement"]
    assert set(campaign.units.all()) == {j["party_a"].unit, j["party_b"].unit}
    html = response.content.decode()
    assert "Đã thêm đợt cao điểm" in html
    assert "05/01/2023 – 15/02/2023" in html
    # Bad dates: message beside the field, nothing saved.
    response = client.post(reverse("patrols:campaign_create"), {**data, "ends_on": "2023-01-01"})
    assert response.context["form"].errors["ends_on"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    assert Campaign.objects.count() == 1
    # The year filter.
    assert len(client.get(reverse("patrols:campaign_list"), {"nam": "2023"}).context["campaigns"]) == 1
    assert len(client.get(reverse("patrols:campaign_list"), {"nam": "2021"}).context["campaigns"]) == 0


def test_checkpoint_create_and_list(client, j):
    client.force_login(j["user"])
    data = {
        "scope": f"c{j['cluster'].pk}",
        "place": "Đường liên xã giáp ranh, thôn Đông",
        "commune": j["member_a"].commune.pk,
        "purpose": "Kiểm soát vận chuyển khoáng sản trái phép",
        "starts_on": "2023-03-01",
        "units": [j["party_a"].unit.pk],
    }
    response = client.post(reverse("patrols:checkpoint_create"), data, follow=True)
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.commune == j["member_a"].commune
    html = response.content.decode()
    assert "Đã thêm chốt kiểm soát" in html and "Đường liên xã giáp ranh" in html
    # A commune of the party's area that is not in the cluster: the service's message beside the field.
    outsider = CommuneFactory(parent=j["party_a"].unit.area, name="Xã Ngoài Cụm")
    response = client.post(reverse("patrols:checkpoint_create"), {**data, "commune": outsider.pk})
    assert response.context["form"].errors["commune"] == ["Xã Ngoài Cụm không thuộc cụm vào ngày 01/03/2023."]
    assert Checkpoint.objects.count() == 1


def test_commander_sees_agreement_wide_patrols_officer_only_his_own(client, j):
    a, b = j["party_a"].unit, j["party_b"].unit
    foreign_led = PatrolFactory(agreement=j["agreement"], cluster=None, lead_unit=b, programme="Chỉ bên B")
    PatrolParticipationFactory(patrol=foreign_led, unit=b)
    client.force_login(j["user"])
    assert client.get(foreign_led.get_absolute_url()).status_code == 404
    client.force_login(OfficerFactory(unit=a, role=Role.COMMANDER).user)
    assert client.get(foreign_led.get_absolute_url()).status_code == 200


def test_admin_pages_render_for_administrators(client, j):
    patrol = log(j)
    admin_user = OfficerFactory(unit=j["party_a"].unit, role=Role.ADMINISTRATOR).user
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    for url in (
        reverse("admin:patrols_patrol_changelist"),
        reverse("admin:patrols_patrol_change", args=[patrol.pk]),
        reverse("admin:patrols_patrol_add"),
        reverse("admin:patrols_campaign_changelist"),
        reverse("admin:patrols_checkpoint_changelist"),
    ):
        assert client.get(url).status_code == 200, url


def test_lead_unit_id_above_999_is_not_localised_in_the_form(client):
    # USE_THOUSAND_SEPARATOR would print 12345 as "12.345" and the POST would be refused.
    from agreements.tests.factories import AgreementPartyFactory, OfficerFactory, UnitFactory

    unit = UnitFactory(pk=12345)
    AgreementPartyFactory(unit=unit)
    client.force_login(OfficerFactory(unit=unit).user)
    html = client.get(reverse("patrols:patrol_create")).content.decode()
    assert 'value="12345"' in html
    assert "12.345" not in html

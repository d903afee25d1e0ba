"""The patrol list: its totals, filters and accent-insensitive search, and the query counts of the pages."""

import datetime

import pytest
from django.urls import reverse

from agreements.tests.factories import ClusterMemberFactory, UnitFactory, jurisdiction
from patrols.models import PatrolParticipant, PatrolStatus
from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory, local
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

LIST = reverse("patrols:patrol_list")



# The list and its filters ------------------------------------------------------------------------


@pytest.fixture
def listed(j):
    """Patrols under the fixture's agreement with known figures."""
    a, b = j.unit_a, j.unit_b
    rows = []
    specs = [
        # (start, programme, cluster?, status, officer_total, commune)
        (local(2022, 3, 5, 20), "Tuyến biển bình yên", True, PatrolStatus.DONE, 430, j.commune_a),
        (local(2023, 1, 15, 20), "Tuyến biển bình yên", True, PatrolStatus.CONFIRMED, 430, j.commune_b),
        (local(2023, 6, 1, 8), "Tuần tra đêm", True, PatrolStatus.DONE, 430, j.commune_a),
        (local(2023, 12, 31, 22), "Tuần tra đêm", False, PatrolStatus.PLANNED, 10, None),
    ]
    for start, programme, in_cluster, status, total, commune in specs:
        patrol = PatrolFactory(
            agreement=j.agreement,
            cluster=j.cluster if in_cluster else None,
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
        agreement=other.agreement,
        lead_unit=other.unit_a,
        programme="Tuyến biển bình yên",
        officer_total=999,
    )
    return rows


def _totals(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return response.context["total_count"], response.context["total_officers"], response


def test_list_counts_and_person_participations(client, j, listed):
    client.force_login(j.user)
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
    assert _totals(client, cum=str(j.cluster.pk))[:2] == (3, 1290)
    assert _totals(client, quy_che=str(j.agreement.pk))[:2] == (4, 1300)
    assert _totals(client, xa=str(j.commune_a.pk))[:2] == (2, 860)
    assert _totals(client, don_vi=str(j.unit_b.pk))[:2] == (3, 1290)
    assert _totals(client, mo_hinh="tuan tra dem")[:2] == (2, 440)
    html = _totals(client, cum=str(j.cluster.pk))[2].content.decode()
    assert "<strong>3</strong> ca tuần tra, <strong>1.290</strong> lượt người" in html


def test_search_ignores_accents(client, j, listed):
    client.force_login(j.user)
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
    client.force_login(j.user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    form = response.context["filter_form"]
    assert field in form.errors
    assert str(form.errors[field][0]) in response.content.decode()
    # The invalid filter is left out; the others still apply.
    assert response.context["total_count"] == 4


def test_foreign_agreement_filter_shows_nothing_of_it(client, j, listed, other_j):
    client.force_login(j.user)
    response = client.get(LIST, {"quy_che": other_j.agreement.pk})
    assert "quy_che" in response.context["filter_form"].errors
    assert other_j.agreement.title not in response.content.decode()


def test_list_paginates_by_25(client, j):
    for day in range(1, 31):
        PatrolFactory(
            agreement=j.agreement,
            cluster=j.cluster,
            lead_unit=j.unit_a,
            started_at=local(2023, 4, day, 20),
        )
    client.force_login(j.user)
    response = client.get(LIST)
    assert len(response.context["patrols"]) == 25
    assert response.context["paginator"].count == 30
    assert len(client.get(LIST, {"page": 2}).context["patrols"]) == 5


# Query counts ------------------------------------------------------------------------------------


def _make_patrols(j, n):
    units = [j.unit_a, j.unit_b]
    for i in range(n):
        patrol = PatrolFactory(
            agreement=j.agreement,
            cluster=j.cluster,
            lead_unit=units[0],
            started_at=local(2023, 1, 1, 8) + datetime.timedelta(days=i),
        )
        for unit in units:
            PatrolParticipationFactory(patrol=patrol, unit=unit)
        patrol.communes.add(j.commune_a, j.commune_b)


@pytest.mark.parametrize("params", [{}, {"q": "thu nghiem", "don_vi": "UNIT", "nam": "2023"}])
def test_list_query_count_does_not_grow_with_rows(client, params):
    small, large = jurisdiction(), jurisdiction()
    _make_patrols(small, 5)
    _make_patrols(large, 50)
    counts = []
    for world in (small, large):
        client.force_login(world.user)
        query = {k: (world.unit_a.pk if v == "UNIT" else v) for k, v in params.items()}
        count_queries(client, LIST, query)  # warm caches (content types, sessions)
        counts.append(count_queries(client, LIST, query))
    assert counts[0] == counts[1]


def test_detail_query_count_does_not_grow_with_participations_or_history(client):
    # Both worlds first: pghistory's request context lasts for the test's transaction.
    worlds = []
    for size in (2, 12):
        world = jurisdiction()
        patrol = PatrolFactory(agreement=world.agreement, cluster=world.cluster, lead_unit=world.unit_a)
        PatrolParticipationFactory(patrol=patrol, unit=world.unit_a)
        PatrolParticipationFactory(patrol=patrol, unit=world.unit_b)
        for _ in range(size):
            PatrolParticipationFactory(patrol=patrol, unit=UnitFactory(parent=world.unit_b))
            member = ClusterMemberFactory(cluster=world.cluster, responsible_party=world.party_b)
            patrol.communes.add(member.commune)
            PatrolParticipant.objects.create(patrol=patrol, full_name="Người tham gia", unit=world.unit_a)
        worlds.append((world, patrol))
    counts = []
    for world, patrol in worlds:
        client.force_login(world.user)
        url = patrol.get_absolute_url()
        count_queries(client, url)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]


def test_pending_query_count_does_not_grow_with_rows(client):
    worlds = []
    for size in (3, 30):
        world = jurisdiction()
        _make_patrols(world, size)
        worlds.append((world, world.officer_of_b().user))
    counts = []
    for _world, partner in worlds:
        client.force_login(partner)
        url = reverse("patrols:patrol_pending")
        count_queries(client, url)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from agreements import selectors
from agreements.models import Agreement, Cluster, Role

from .factories import (
    AgreementPartyFactory,
    ClusterMemberFactory,
    OfficerFactory,
    UnitFactory,
    UserFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db


def test_officer_sees_own_agreements_and_their_clusters_only():
    j = jurisdiction()
    other = jurisdiction()
    assert list(Agreement.objects.visible_to(j.user)) == [j.agreement]
    assert list(Cluster.objects.visible_to(j.user)) == [j.cluster]
    assert other.agreement not in selectors.agreement_list(user=j.user)


def test_sub_unit_sees_agreements_of_its_parent():
    j = jurisdiction()
    post = UnitFactory(parent=j.unit_a)
    officer = OfficerFactory(unit=post)
    assert list(Agreement.objects.visible_to(officer.user)) == [j.agreement]


def test_parent_unit_does_not_see_agreements_of_its_sub_units():
    j = jurisdiction()
    province = UnitFactory()
    j.unit_a.parent = province
    j.unit_a.save()
    assert not Agreement.objects.visible_to(OfficerFactory(unit=province).user).exists()


def test_administrator_and_superuser_see_everything_others_nothing():
    jurisdiction()
    jurisdiction()
    assert Agreement.objects.visible_to(OfficerFactory(role=Role.ADMINISTRATOR).user).count() == 2
    assert Agreement.objects.visible_to(UserFactory(is_superuser=True)).count() == 2
    assert not Agreement.objects.visible_to(AnonymousUser()).exists()
    assert not Agreement.objects.visible_to(UserFactory()).exists()  # an account with no officer record
    inactive = OfficerFactory(unit=AgreementPartyFactory().unit).user
    inactive.is_active = False
    assert not Agreement.objects.visible_to(inactive).exists()


def test_foreign_record_is_a_404_like_a_missing_one():
    j = jurisdiction()
    other = jurisdiction()
    with pytest.raises(Http404):
        selectors.agreement_detail(user=j.user, pk=other.agreement.pk)
    with pytest.raises(Http404):
        selectors.cluster_detail(user=j.user, pk=other.cluster.pk)
    with pytest.raises(Http404):
        selectors.agreement_detail(user=j.user, pk=10**9)
    assert selectors.cluster_detail(user=j.user, pk=j.cluster.pk) == j.cluster


def test_accent_insensitive_search():
    j = jurisdiction()
    j.agreement.title = "Quy chế phối hợp vùng giáp ranh Ngũ Hành Sơn – Điện Bàn"
    j.agreement.save()
    assert list(selectors.agreement_list(user=j.user, q="ngu hanh son")) == [j.agreement]
    assert list(selectors.agreement_list(user=j.user, q="dien ban")) == [j.agreement]
    assert not selectors.agreement_list(user=j.user, q="thach thanh").exists()


def test_cluster_communes_on_a_date_respects_membership_dates():
    j = jurisdiction()
    late = ClusterMemberFactory(
        cluster=j.cluster, responsible_party=j.party_b, valid_from=datetime.date(2023, 7, 1),
        valid_to=datetime.date(2023, 12, 31),
    )
    on = lambda d: set(selectors.cluster_communes_on(cluster=j.cluster, day=d))  # noqa: E731
    assert late.commune not in on(datetime.date(2023, 6, 30))
    assert late.commune in on(datetime.date(2023, 7, 1))
    assert late.commune in on(datetime.date(2023, 12, 31))
    assert late.commune not in on(datetime.date(2024, 1, 1))


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_cluster_detail_query_count_does_not_grow_with_members():
    small, big = jurisdiction(), jurisdiction()
    for _ in range(3):
        ClusterMemberFactory(cluster=small.cluster, responsible_party=small.party_a)
    for _ in range(48):
        ClusterMemberFactory(cluster=big.cluster, responsible_party=big.party_b)

    def load(j):
        cluster = selectors.cluster_detail(user=j.user, pk=j.cluster.pk)
        for m in cluster.members.all():
            str(m.commune), m.responsible_party.unit.name, list(m.commune.successors.all())

    assert _queries(lambda: load(small)) == _queries(lambda: load(big))


def test_history_names_the_actor():
    from agreements import services

    j = jurisdiction(role=Role.STAFF)
    services.cluster_update(actor=j.user, cluster=j.cluster, name="Cụm đổi tên")
    rows = selectors.record_history(user=j.user, objects=[j.cluster])
    # All rows share one transaction timestamp here, so pick the update rather than rely on order.
    update = next(r for r in rows if r["label"] == "update")
    assert update["actor"] == j.user
    assert update["diff"]["name"][1] == "Cụm đổi tên"
    assert {r["label"] for r in rows} == {"insert", "update"}

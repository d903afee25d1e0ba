"""Reads of tips and incidents: who sees what, and what each filter keeps."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from agreements.models import Role
from agreements.tests.factories import (
    AgreementPartyFactory,
    ClusterMemberFactory,
    CommuneFactory,
    OfficerFactory,
    UnitFactory,
    jurisdiction,
)
from borderzone.periods import Period
from incidents import selectors
from incidents.models import IncidentStatus, TipStatus
from incidents.tests.factories import IncidentFactory, TipFactory, category
from patrols.tests.factories import local

pytestmark = pytest.mark.django_db


def tip_of(j, **overrides):
    values = dict(
        agreement=j.agreement, cluster=j.cluster, from_unit=j.unit_a, to_unit=j.unit_b,
        commune=j.commune_a,
    )
    values.update(overrides)
    return TipFactory(**values)


def incident_of(j, **overrides):
    values = dict(
        agreement=j.agreement, cluster=j.cluster, commune=j.commune_a, lead_unit=j.unit_a,
    )
    values.update(overrides)
    return IncidentFactory(**values)


# Tips ---------------------------------------------------------------------------------------------


def test_tips_are_seen_by_their_two_ends_and_the_commanders_above_them_only():
    j = jurisdiction()
    station = UnitFactory(parent=j.unit_b, name="Công an xã Thử Nghiệm trực thuộc")
    third = AgreementPartyFactory(agreement=j.agreement)
    ours = tip_of(j)
    theirs = tip_of(j, from_unit=j.unit_b, to_unit=third.unit)
    below = tip_of(j, from_unit=station, to_unit=third.unit)

    assert set(selectors.tip_list(user=j.user)) == {ours}
    receiver = OfficerFactory(unit=j.unit_b).user
    assert set(selectors.tip_list(user=receiver)) == {ours, theirs}
    commander_b = OfficerFactory(unit=j.unit_b, role=Role.COMMANDER).user
    assert set(selectors.tip_list(user=commander_b)) == {ours, theirs, below}
    commander_a = OfficerFactory(unit=j.unit_a, role=Role.COMMANDER).user
    assert set(selectors.tip_list(user=commander_a)) == {ours}
    admin = OfficerFactory(unit=UnitFactory(), role=Role.ADMINISTRATOR).user
    assert set(selectors.tip_list(user=admin)) == {ours, theirs, below}
    assert set(selectors.tip_list(user=jurisdiction().user)) == set()

    with pytest.raises(Http404):
        selectors.tip_detail(user=j.user, pk=theirs.pk)
    assert selectors.tip_detail(user=j.user, pk=ours.pk) == ours


def test_tip_period_is_half_open_in_local_time():
    j = jurisdiction()
    new_year_eve = tip_of(j, received_at=local(2023, 12, 31, 23, 30))
    new_year = tip_of(j, received_at=local(2024, 1, 1, 0, 0))
    assert list(selectors.tip_list(user=j.user, period=Period.year(2023))) == [new_year_eve]
    assert list(selectors.tip_list(user=j.user, period=Period.year(2024))) == [new_year]


def test_tip_filters():
    j = jurisdiction()
    today = timezone.localdate()
    nhs = ClusterMemberFactory(
        cluster=j.cluster, responsible_party=j.party_a, commune__name="Phường Ngũ Hành Sơn"
    ).commune
    overdue = tip_of(j, deadline=today - datetime.timedelta(days=1), commune=nhs)
    done_late = tip_of(j, deadline=today - datetime.timedelta(days=1), status=TipStatus.TRUE, jointly_verified=True)
    back = tip_of(j, from_unit=j.unit_b, to_unit=j.unit_a, deadline=today,
                  category=category("mua-ban-ma-tuy"), summary="Đối tượng mua bán ma túy ở bến đò")
    user = j.user

    def ids(**filters):
        return set(selectors.tip_list(user=user, **filters))

    assert ids(overdue=True) == {overdue}
    assert ids(jointly_verified=True) == {done_late}
    assert ids(jointly_verified=False) == {overdue, back}
    assert ids(from_unit_id=j.unit_b.pk) == {back}
    assert ids(to_unit_id=j.unit_b.pk) == {overdue, done_late}
    assert ids(unit_id=j.unit_b.pk) == {overdue, done_late, back}
    assert ids(status=TipStatus.TRUE) == {done_late}
    assert ids(category_id=category("mua-ban-ma-tuy").pk) == {back}
    assert ids(commune_id=nhs.pk) == {overdue}
    assert ids(q="ngu hanh son") == {overdue}
    assert ids(q="BEN DO") == {back}
    assert ids(agreement_id=jurisdiction().agreement.pk) == set()


def test_inbox_holds_open_tips_to_the_users_units_by_deadline():
    j = jurisdiction()
    receiver = OfficerFactory(unit=j.unit_b).user
    later = tip_of(j, deadline=datetime.date(2023, 4, 20))
    sooner = tip_of(j, deadline=datetime.date(2023, 4, 10), status=TipStatus.VERIFYING)
    tip_of(j, status=TipStatus.FALSE)
    tip_of(j, from_unit=j.unit_b, to_unit=j.unit_a)  # sent, not received
    inbox = selectors.tip_inbox(user=receiver, unit_ids=[j.unit_b.pk])
    assert list(inbox) == [sooner, later]
    # The sender's inbox holds only what was handed to it.
    back = selectors.tip_inbox(user=j.user, unit_ids=[j.unit_a.pk])
    assert [t.to_unit_id for t in back] == [j.unit_a.pk]
    # The unit ids never widen what the user may read.
    outsider = jurisdiction().user
    assert list(selectors.tip_inbox(user=outsider, unit_ids=[j.unit_b.pk])) == []


# Incidents ----------------------------------------------------------------------------------------


def test_officers_see_cluster_incidents_and_their_own_commanders_see_the_agreement():
    j = jurisdiction()
    third = AgreementPartyFactory(agreement=j.agreement)
    in_cluster = incident_of(j, lead_unit=j.unit_b)
    agreement_wide = incident_of(j, cluster=None, commune=CommuneFactory(parent=third.unit.area), lead_unit=third.unit)
    supported = incident_of(j, cluster=None, commune=CommuneFactory(parent=third.unit.area), lead_unit=third.unit)
    supported.supporting_units.add(j.unit_a)

    assert set(selectors.incident_list(user=j.user)) == {in_cluster, supported}
    commander = OfficerFactory(unit=j.unit_a, role=Role.COMMANDER).user
    assert set(selectors.incident_list(user=commander)) == {in_cluster, agreement_wide, supported}
    with pytest.raises(Http404):
        selectors.incident_detail(user=j.user, pk=agreement_wide.pk)
    with pytest.raises(Http404):
        selectors.incident_detail(user=jurisdiction().user, pk=in_cluster.pk)


def test_incident_filters():
    j = jurisdiction()
    nhs = ClusterMemberFactory(
        cluster=j.cluster, responsible_party=j.party_a, commune__name="Phường Ngũ Hành Sơn"
    ).commune
    old_solved_now = incident_of(
        j, occurred_at=local(2022, 12, 20, 8, 0), status=IncidentStatus.SOLVED, solved_at=local(2023, 2, 1, 8, 0)
    )
    drugs = incident_of(j, category=category("su-dung-ma-tuy"), nature="administrative", commune=nhs,
                        place="Bãi tắm Sơn Thủy")
    joint = incident_of(j, jointly_handled=True)
    joint.supporting_units.add(j.unit_b, UnitFactory(parent=j.unit_b))
    user = j.user

    def ids(**filters):
        return list(selectors.incident_list(user=user, **filters))

    assert set(ids(period=Period.year(2023))) == {drugs, joint}
    assert ids(period=Period.year(2023), solved_period=Period.year(2023)) == []
    assert ids(solved_period=Period.year(2023)) == [old_solved_now]
    assert ids(category_group="Ma túy") == [drugs]
    assert ids(nature="administrative") == [drugs]
    assert ids(jointly_handled=True) == [joint]
    assert ids(unit_id=j.unit_b.pk) == [joint]  # once, though two supporting rows match the join
    assert set(ids(unit_id=j.unit_a.pk)) == {old_solved_now, drugs, joint}
    assert ids(q="ngu hanh son") == [drugs]
    assert ids(q="son thuy") == [drugs]
    assert ids(q="su dung trai phep") == [drugs]
    assert ids(status=IncidentStatus.SOLVED) == [old_solved_now]
    assert ids(commune_id=nhs.pk) == [drugs]

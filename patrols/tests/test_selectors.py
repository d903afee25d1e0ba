from dataclasses import dataclass

import pytest
from django.http import Http404

from agreements.models import Role
from agreements.tests.factories import OfficerFactory, UnitFactory, UserFactory, jurisdiction
from borderzone.periods import Period
from patrols import selectors
from patrols.models import Campaign, Checkpoint, Patrol, PatrolStatus
from patrols.tests.factories import CampaignFactory, PatrolFactory, PatrolParticipationFactory, local

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    cluster_patrol: Patrol
    wide_a: Patrol
    wide_b: Patrol
    wide_b_with_a: Patrol
    campaign: Campaign


@pytest.fixture
def world(j) -> World:
    """Under ``j``'s agreement (A and B as parties): a cluster patrol led by B, agreement-wide patrols
    of A and of B, one of B's with A taking part, and a campaign."""
    a, b = j.unit_a, j.unit_b
    cluster_patrol = PatrolFactory(agreement=j.agreement, cluster=j.cluster, lead_unit=b)
    PatrolParticipationFactory(patrol=cluster_patrol, unit=b)
    wide_a = PatrolFactory(agreement=j.agreement, cluster=None, lead_unit=a)
    PatrolParticipationFactory(patrol=wide_a, unit=a)
    wide_b = PatrolFactory(agreement=j.agreement, cluster=None, lead_unit=b)
    PatrolParticipationFactory(patrol=wide_b, unit=b)
    wide_b_with_a = PatrolFactory(agreement=j.agreement, cluster=None, lead_unit=b)
    PatrolParticipationFactory(patrol=wide_b_with_a, unit=b)
    PatrolParticipationFactory(patrol=wide_b_with_a, unit=a)
    campaign = CampaignFactory(agreement=j.agreement)
    return World(cluster_patrol, wide_a, wide_b, wide_b_with_a, campaign)


def _visible(user) -> set[int]:
    return set(selectors.patrol_list(user=user).values_list("pk", flat=True))


def test_officer_sees_cluster_records_and_what_his_unit_did(j, world):
    seen = _visible(j.user)
    assert seen == {world.cluster_patrol.pk, world.wide_a.pk, world.wide_b_with_a.pk}
    assert world.wide_b.pk not in seen  # agreement-wide, B alone: not the officer's business


def test_officer_of_a_sub_unit_acts_under_his_parents_agreement(j, world):
    commune_police = UnitFactory(parent=j.unit_a)
    user = OfficerFactory(unit=commune_police).user
    assert world.cluster_patrol.pk in _visible(user)
    assert world.wide_a.pk in _visible(user)  # his parent unit led it


@pytest.mark.parametrize("role", [Role.COMMANDER, Role.STAFF])
def test_commander_and_staff_see_everything_under_their_agreements(j, world, role):
    user = j.officer_of_a(role).user
    assert _visible(user) == {p.pk for p in (world.cluster_patrol, world.wide_a, world.wide_b, world.wide_b_with_a)}


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COMMANDER, Role.STAFF])
def test_outsider_sees_nothing(world, role):
    stranger = jurisdiction(role=role).user
    PatrolFactory(agreement=jurisdiction().agreement)
    assert _visible(stranger) == set()
    with pytest.raises(Http404):
        selectors.patrol_detail(user=stranger, pk=world.cluster_patrol.pk)
    assert not selectors.campaign_list(user=stranger).exists()
    with pytest.raises(Http404):
        selectors.campaign_get(user=stranger, pk=world.campaign.pk)


def test_user_without_unit_and_administrator(world, other_j):
    assert _visible(UserFactory()) == set()
    admin = other_j.officer_of_a(Role.ADMINISTRATOR).user
    assert _visible(admin) == set(Patrol.objects.values_list("pk", flat=True))


def test_detail_of_a_hidden_patrol_is_404_like_a_missing_one(j, world):
    with pytest.raises(Http404):
        selectors.patrol_detail(user=j.user, pk=world.wide_b.pk)
    with pytest.raises(Http404):
        selectors.patrol_detail(user=j.user, pk=10**9)
    assert selectors.patrol_detail(user=j.user, pk=world.wide_a.pk) == world.wide_a


def test_awaiting_confirmation_is_for_the_partner_only(j, world):
    a, b = j.unit_a, j.unit_b
    lead_user = j.user  # an officer of A
    partner = j.officer_of_b().user
    # wide_b_with_a: led by B, A took part → waits for A.
    waiting_for_a = set(
        selectors.patrols_awaiting_confirmation(user=lead_user, unit_ids=[a.pk]).values_list("pk", flat=True)
    )
    assert waiting_for_a == {world.wide_b_with_a.pk}
    # B led everything it took part in except nothing: nothing waits for B.
    assert not selectors.patrols_awaiting_confirmation(user=partner, unit_ids=[b.pk]).exists()
    world.wide_b_with_a.status = PatrolStatus.CONFIRMED
    world.wide_b_with_a.save()
    assert not selectors.patrols_awaiting_confirmation(user=lead_user, unit_ids=[a.pk]).exists()


def test_filters_combine_and_do_not_duplicate_rows(j, world):
    a = j.unit_a
    patrol = world.wide_b_with_a
    patrol.communes.add(j.commune_a, j.commune_b)
    user = OfficerFactory(unit=a, role=Role.COMMANDER).user
    rows = list(selectors.patrol_list(user=user, q="Xã Thử Nghiệm"))
    assert rows == [patrol]
    assert list(selectors.patrol_list(user=user, unit_id=a.pk).order_by("pk")) == [world.wide_a, patrol]
    assert selectors.patrol_list(user=user, period=Period.year(2023)).count() == 4
    assert selectors.patrol_list(user=user, period=Period.year(2022)).count() == 0


def test_period_is_half_open_in_local_time(j, world):
    user = j.officer_of_a(Role.COMMANDER).user
    late = PatrolFactory(
        agreement=j.agreement, lead_unit=j.unit_a, started_at=local(2023, 12, 31, 23, 30)
    )
    in_2023 = set(selectors.patrol_list(user=user, period=Period.year(2023)).values_list("pk", flat=True))
    in_2024 = set(selectors.patrol_list(user=user, period=Period.year(2024)).values_list("pk", flat=True))
    assert late.pk in in_2023 and late.pk not in in_2024


def test_campaigns_and_checkpoints_follow_the_agreement(j, world):
    stranger = jurisdiction().user
    assert list(selectors.campaign_list(user=j.user)) == [world.campaign]
    assert Campaign.objects.visible_to(stranger).count() == 0
    assert Checkpoint.objects.visible_to(stranger).count() == 0

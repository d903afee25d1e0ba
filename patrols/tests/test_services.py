import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agreements.models import Role
from agreements.tests.factories import CommuneFactory, OfficerFactory, UnitFactory, jurisdiction
from patrols import services
from patrols.models import Patrol, PatrolStatus
from patrols.services import ParticipationData
from patrols.tests.factories import local
from tests.helpers import log_patrol

pytestmark = pytest.mark.django_db


def test_patrol_create_sums_person_participations():
    j = jurisdiction()
    patrol = log_patrol(j)
    assert patrol.officer_total == 7
    assert patrol.participations.count() == 2
    assert set(patrol.communes.all()) == {j.commune_a, j.commune_b}
    assert patrol.created_by == j.user


def test_end_before_start_is_rejected():
    j = jurisdiction()
    with pytest.raises(ValidationError) as exc:
        log_patrol(j, ended_at=local(2023, 5, 10, 18, 0))
    assert exc.value.message_dict["ended_at"] == ["Thời điểm kết thúc phải sau thời điểm bắt đầu."]
    assert not Patrol.objects.exists()


@pytest.mark.parametrize("officers", [0, -2])
def test_zero_or_negative_officers_rejected(officers):
    j = jurisdiction()
    with pytest.raises(ValidationError) as exc:
        log_patrol(j, participations=[ParticipationData(j.unit_a, officers)])
    assert "lớn hơn 0" in exc.value.message_dict["participations"][0]


def test_commune_outside_cluster_rejected():
    j = jurisdiction()
    outsider = CommuneFactory(parent=j.unit_a.area)  # in the party's area but not in the cluster
    with pytest.raises(ValidationError) as exc:
        log_patrol(j, communes=[outsider])
    assert "không thuộc cụm" in exc.value.message_dict["communes"][0]


def test_commune_that_joined_later_is_outside_before_joining():
    j = jurisdiction()
    j.member_b.valid_from = datetime.date(2023, 6, 1)
    j.member_b.save()
    with pytest.raises(ValidationError):
        log_patrol(j, communes=[j.commune_b])
    assert log_patrol(j, communes=[j.commune_b], started_at=local(2023, 6, 2, 19, 0),
                ended_at=local(2023, 6, 2, 22, 0)).pk


def test_future_patrol_only_when_planned():
    j = jurisdiction()
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        log_patrol(j, started_at=tomorrow, ended_at=tomorrow + datetime.timedelta(hours=2))
    assert exc.value.message_dict["started_at"] == ["Thời điểm này nằm ở tương lai."]
    planned = log_patrol(j, started_at=tomorrow, ended_at=tomorrow + datetime.timedelta(hours=2),
                   status=PatrolStatus.PLANNED)
    assert planned.status == PatrolStatus.PLANNED


def test_participating_unit_must_be_a_party_and_lead_must_participate():
    j = jurisdiction()
    with pytest.raises(ValidationError) as exc:
        log_patrol(j, participations=[ParticipationData(j.unit_a, 3), ParticipationData(UnitFactory(), 2)])
    assert "không thuộc các bên" in exc.value.message_dict["participations"][0]
    with pytest.raises(ValidationError) as exc:
        log_patrol(j, participations=[ParticipationData(j.unit_b, 3)])
    assert "Đơn vị chủ trì" in exc.value.message_dict["participations"][0]


def test_officer_logs_only_for_his_unit():
    j = jurisdiction()
    with pytest.raises(PermissionDenied):
        log_patrol(j, lead_unit=j.unit_b,
             participations=[ParticipationData(j.unit_b, 3)])


def test_partner_confirms_but_lead_cannot():
    j = jurisdiction()
    patrol = log_patrol(j)
    with pytest.raises(PermissionDenied):
        services.patrol_confirm(actor=j.user, patrol=patrol)
    partner = OfficerFactory(unit=j.unit_b).user
    confirmed = services.patrol_confirm(actor=partner, patrol=patrol)
    assert confirmed.status == PatrolStatus.CONFIRMED and confirmed.confirmed_by == partner


def test_editing_a_confirmed_patrol_needs_a_new_confirmation():
    j = jurisdiction()
    patrol = services.patrol_confirm(actor=OfficerFactory(unit=j.unit_b).user, patrol=log_patrol(j))
    updated = services.patrol_update(
        actor=j.user, patrol=patrol, communes=[j.commune_a],
        participations=[ParticipationData(j.unit_a, 5), ParticipationData(j.unit_b, 3)],
        findings="Phát hiện 1 vụ tụ tập đánh bạc",
    )
    assert updated.status == PatrolStatus.DONE and updated.officer_total == 8


def test_outsider_cannot_log_under_foreign_agreement():
    j = jurisdiction()
    stranger = jurisdiction(role=Role.COMMANDER).user
    with pytest.raises(PermissionDenied):
        log_patrol(j, actor=stranger)


def test_campaign_dates():
    j = jurisdiction()
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=j.user, agreement=j.agreement, name="Đợt 1",
                                 starts_on=datetime.date(2023, 3, 1), ends_on=datetime.date(2023, 2, 1))
    assert "ends_on" in exc.value.message_dict


def test_editing_a_confirmed_patrol_clears_who_confirmed_even_if_status_is_sent():
    j = jurisdiction()
    partner = OfficerFactory(unit=j.unit_b).user
    patrol = services.patrol_confirm(actor=partner, patrol=log_patrol(j))
    updated = services.patrol_update(
        actor=j.user, patrol=patrol, communes=[j.commune_a], status=PatrolStatus.CONFIRMED,
        participations=[ParticipationData(j.unit_a, 4), ParticipationData(j.unit_b, 3)],
    )
    assert updated.status == PatrolStatus.DONE
    assert updated.confirmed_by is None and updated.confirmed_at is None


def test_done_patrol_cannot_end_in_the_future():
    j = jurisdiction()
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        log_patrol(j, started_at=now - datetime.timedelta(hours=1), ended_at=now + datetime.timedelta(hours=3))
    assert "ended_at" in exc.value.message_dict


def test_system_confirms_a_back_dated_patrol():
    j = jurisdiction()
    patrol = log_patrol(j)
    confirmed = services.patrol_confirm(actor=None, patrol=patrol, at=local(2023, 5, 11, 8, 0))
    assert confirmed.confirmed_at == local(2023, 5, 11, 8, 0) and confirmed.confirmed_by is None
    with pytest.raises(ValidationError):
        services.patrol_confirm(actor=None, patrol=log_patrol(j), at=local(2023, 5, 1, 8, 0))


def test_campaign_units_must_be_parties():
    j = jurisdiction()
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=j.user, agreement=j.agreement, name="Đợt 2",
                                 starts_on=datetime.date(2023, 3, 1), ends_on=datetime.date(2023, 4, 1),
                                 units=[UnitFactory()])
    assert "units" in exc.value.message_dict

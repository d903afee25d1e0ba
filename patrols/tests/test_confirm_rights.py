"""A joint patrol is confirmed by another party, never by the lead unit's own line nor by its recorder."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agreements.models import Role
from agreements.tests.factories import OfficerFactory, UnitFactory
from patrols import permissions, services
from patrols.models import PatrolStatus
from patrols.services import ParticipationData
from tests.helpers import log_patrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_police(j):
    """An officer of a commune police under side A's party unit."""
    return OfficerFactory(unit=UnitFactory(parent=j.unit_a, name="Công an xã Dưới A")).user


def _self_led(j, actor):
    """A patrol the commune police leads, with its own parent party named as the partner."""
    commune_unit = actor.officer.unit
    return log_patrol(
        j, actor=actor, lead_unit=commune_unit,
        participations=[ParticipationData(commune_unit, 3), ParticipationData(j.unit_a, 2)],
    )


def test_a_sub_unit_cannot_confirm_a_patrol_with_its_own_parent_party(j, commune_police):
    patrol = _self_led(j, commune_police)

    assert not permissions.can_confirm(commune_police, patrol)
    assert not permissions.can_confirm(j.user, patrol)  # the parent party's own officer: same line
    with pytest.raises(PermissionDenied):
        services.patrol_confirm(actor=commune_police, patrol=patrol)
    with pytest.raises(PermissionDenied):
        services.patrol_confirm(actor=j.user, patrol=patrol)
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.DONE


def test_the_confirm_page_refuses_the_lead_line(client, j, commune_police):
    patrol = _self_led(j, commune_police)
    client.force_login(commune_police)

    response = client.post(reverse("patrols:patrol_confirm", args=[patrol.pk]))

    assert response.status_code == 403
    patrol.refresh_from_db()
    assert patrol.status == PatrolStatus.DONE


def test_the_recorder_never_confirms_his_own_patrol(j):
    admin = OfficerFactory(role=Role.ADMINISTRATOR).user
    patrol = log_patrol(j, actor=admin)

    assert not permissions.can_confirm(admin, patrol)
    with pytest.raises(PermissionDenied, match="^Người ghi nhận ca tuần tra không được tự xác nhận.$"):
        services.patrol_confirm(actor=admin, patrol=patrol)
    assert permissions.can_confirm(OfficerFactory(role=Role.ADMINISTRATOR).user, patrol)


def test_another_party_and_its_sub_units_still_confirm(j):
    patrol = log_patrol(j)
    post_of_b = OfficerFactory(unit=UnitFactory(parent=j.unit_b)).user
    partner = OfficerFactory(unit=j.unit_b).user

    assert permissions.can_confirm(post_of_b, patrol)
    assert services.patrol_confirm(actor=partner, patrol=patrol).confirmed_by == partner

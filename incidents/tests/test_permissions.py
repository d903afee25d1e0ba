import pytest
from django.core.exceptions import PermissionDenied

from agreements.models import Role
from agreements.tests.factories import OfficerFactory, UnitFactory, jurisdiction
from incidents import permissions, services
from incidents.models import TipStatus
from incidents.tests.factories import IncidentFactory, TipFactory
from patrols import permissions as patrol_permissions

pytestmark = pytest.mark.django_db


def test_recording_is_the_same_rule_as_for_patrols():
    assert permissions.can_record is patrol_permissions.can_record


def test_only_the_receiving_unit_and_the_units_under_it_process_a_tip():
    j = jurisdiction()
    tip = TipFactory(agreement=j.agreement, from_unit=j.unit_a, to_unit=j.unit_b)
    receiver = OfficerFactory(unit=j.unit_b).user
    post = OfficerFactory(unit=UnitFactory(parent=j.unit_b)).user
    assert permissions.can_process(receiver, tip)
    assert permissions.can_process(post, tip)
    assert permissions.can_process(OfficerFactory(role=Role.ADMINISTRATOR).user, tip)
    assert not permissions.can_process(j.user, tip)  # the sender


def test_the_tip_services_keep_the_rule_of_the_page():
    j = jurisdiction()
    tip = TipFactory(agreement=j.agreement, from_unit=j.unit_a, to_unit=j.unit_b)
    refused = "^Chỉ đơn vị tiếp nhận mới xử lý được nguồn tin này.$"
    with pytest.raises(PermissionDenied, match=refused):
        services.tip_acknowledge(actor=j.user, tip=tip)
    with pytest.raises(PermissionDenied, match=refused):
        services.tip_set_status(actor=j.user, tip=tip, status=TipStatus.VERIFYING)


def test_only_the_lead_unit_changes_an_incident():
    j = jurisdiction()
    incident = IncidentFactory(agreement=j.agreement, lead_unit=j.unit_a)
    incident.supporting_units.add(j.unit_b)
    assert permissions.can_edit(j.user, incident)
    assert permissions.can_edit(OfficerFactory(role=Role.ADMINISTRATOR).user, incident)
    assert not permissions.can_edit(OfficerFactory(unit=j.unit_b).user, incident)  # a supporting unit
    assert not permissions.can_edit(jurisdiction().user, incident)

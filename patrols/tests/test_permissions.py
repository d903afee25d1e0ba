import pytest
from django.core.exceptions import PermissionDenied

from agreements.models import Role
from agreements.tests.factories import AgreementFactory, OfficerFactory, UnitFactory, UserFactory, jurisdiction
from patrols import permissions, services
from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory

pytestmark = pytest.mark.django_db


def _patrol(j):
    """A patrol of the jurisdiction led by side A with side B taking part."""
    patrol = PatrolFactory(agreement=j.agreement, cluster=j.cluster, lead_unit=j.unit_a)
    PatrolParticipationFactory(patrol=patrol, unit=j.unit_a)
    PatrolParticipationFactory(patrol=patrol, unit=j.unit_b)
    return patrol


def test_recording_needs_a_unit_or_the_administrators_view():
    assert permissions.can_record(OfficerFactory().user)
    assert permissions.can_record(OfficerFactory(role=Role.ADMINISTRATOR).user)
    assert permissions.can_record(UserFactory(is_superuser=True))
    assert not permissions.can_record(UserFactory())


def test_the_lead_unit_and_the_units_under_it_edit_a_patrol():
    j = jurisdiction()
    patrol = _patrol(j)
    post = OfficerFactory(unit=UnitFactory(parent=j.unit_a)).user
    assert permissions.can_edit(j.user, patrol)
    assert permissions.can_edit(post, patrol)
    assert permissions.can_edit(OfficerFactory(role=Role.ADMINISTRATOR).user, patrol)


def test_a_partner_or_an_outsider_does_not_edit_a_patrol():
    j = jurisdiction()
    patrol = _patrol(j)
    assert not permissions.can_edit(OfficerFactory(unit=j.unit_b).user, patrol)
    assert not permissions.can_edit(jurisdiction().user, patrol)
    assert not permissions.can_edit(UserFactory(), patrol)


def test_the_lead_unit_does_not_edit_under_an_agreement_it_is_no_party_to():
    j = jurisdiction()
    patrol = PatrolFactory(agreement=AgreementFactory(), lead_unit=j.unit_a)
    assert permissions.acts_for(j.user, patrol.lead_unit_id)
    assert not permissions.works_under(j.user, patrol.agreement_id)
    assert not permissions.can_edit(j.user, patrol)


def test_a_partner_confirms_but_the_lead_and_outsiders_do_not():
    j = jurisdiction()
    patrol = _patrol(j)
    assert permissions.can_confirm(OfficerFactory(unit=j.unit_b).user, patrol)
    assert permissions.can_confirm(OfficerFactory(role=Role.ADMINISTRATOR).user, patrol)
    assert not permissions.can_confirm(j.user, patrol)
    assert not permissions.can_confirm(jurisdiction().user, patrol)


def test_the_confirm_service_keeps_the_rule_of_the_page():
    j = jurisdiction()
    patrol = _patrol(j)
    partner = OfficerFactory(unit=j.unit_b).user
    with pytest.raises(PermissionDenied, match="^Chỉ đơn vị cùng tham gia tuần tra mới xác nhận được.$"):
        services.patrol_confirm(actor=j.user, patrol=patrol)
    assert services.patrol_confirm(actor=partner, patrol=patrol).confirmed_by == partner


def test_the_record_service_refuses_a_unit_the_actor_does_not_act_for():
    j = jurisdiction()
    assert not permissions.acts_for(j.user, j.unit_b.pk)
    with pytest.raises(PermissionDenied, match="^Bạn chỉ được ghi nhận, sửa hồ sơ do đơn vị mình chủ trì.$"):
        services.require_record_rights(j.user, agreement=j.agreement, unit=j.unit_b)
    services.require_record_rights(None, agreement=j.agreement, unit=j.unit_b)  # the system

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agreements.models import Role
from agreements.tests.factories import CommuneFactory, OfficerFactory, jurisdiction
from incidents import services
from incidents.models import Incident, IncidentStatus, Tip, TipStatus
from incidents.tests.factories import category
from patrols.tests.factories import local

pytestmark = pytest.mark.django_db


def _tip(j, **overrides):
    values = dict(
        actor=j.user, agreement=j.agreement, cluster=j.cluster, from_unit=j.unit_a,
        to_unit=j.unit_b, received_at=local(2023, 4, 2, 9, 0), category=category("danh-bac"),
        summary="Nhóm đối tượng đánh bạc tại bãi sông", deadline=datetime.date(2023, 4, 12),
    )
    values.update(overrides)
    return services.tip_create(**values)


def _incident(j, **overrides):
    values = dict(
        actor=j.user, agreement=j.agreement, cluster=j.cluster, occurred_at=local(2023, 6, 1, 22, 0),
        commune=j.commune_a, category=category("trom-cap"), lead_unit=j.unit_a, source="public",
    )
    values.update(overrides)
    return services.incident_create(**values)


def test_tip_handed_to_partner_is_seen_by_both_sides_only():
    j = jurisdiction()
    tip = _tip(j)
    receiver = OfficerFactory(unit=j.unit_b).user
    assert list(Tip.objects.visible_to(j.user)) == [tip]
    assert list(Tip.objects.visible_to(receiver)) == [tip]
    # A third party to the same agreement does not see a tip between two others.
    third = OfficerFactory(unit=j.unit_a.__class__.objects.create(
        name="Đồn Biên phòng thử", force="border_guard", level="station", area=j.unit_a.area)).user
    j.agreement.parties.create(unit=third.officer.unit, order=3)
    assert not Tip.objects.visible_to(third).exists()


def test_tip_workflow_receiver_only():
    j = jurisdiction()
    tip = _tip(j)
    with pytest.raises(PermissionDenied):
        services.tip_acknowledge(actor=j.user, tip=tip)
    receiver = OfficerFactory(unit=j.unit_b).user
    tip = services.tip_acknowledge(actor=receiver, tip=tip)
    assert tip.acknowledged_by == receiver
    tip = services.tip_set_status(actor=receiver, tip=tip, status=TipStatus.VERIFYING)
    tip = services.tip_set_status(actor=receiver, tip=tip, status=TipStatus.TRUE, jointly_verified=True,
                                  note="Đúng, đã phối hợp kiểm tra")
    assert tip.status == TipStatus.TRUE and tip.jointly_verified and tip.verified_at
    with pytest.raises(ValidationError) as exc:
        services.tip_set_status(actor=receiver, tip=tip, status=TipStatus.VERIFYING)
    assert "Không thể chuyển" in exc.value.message_dict["status"][0]


def test_tip_rules():
    j = jurisdiction()
    with pytest.raises(ValidationError) as exc:
        _tip(j, to_unit=j.unit_a)
    assert "to_unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _tip(j, deadline=datetime.date(2023, 4, 1))
    assert "deadline" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _tip(j, received_at=timezone.now() + datetime.timedelta(days=2))
    assert exc.value.message_dict["received_at"] == ["Thời điểm này nằm ở tương lai."]


def test_tip_led_to_incident():
    j = jurisdiction()
    tip = _tip(j)
    incident = _incident(j, tips=[tip], source="tip")
    assert list(tip.incidents.all()) == [incident]


def test_incident_rules_keep_database_unchanged():
    j = jurisdiction()
    cases = [
        ({"solved_at": local(2023, 5, 1), "status": IncidentStatus.SOLVED}, "solved_at"),
        ({"suspects": 2, "suspects_dealt_with": 3}, "suspects_dealt_with"),
        ({"occurred_at": timezone.now() + datetime.timedelta(days=1)}, "occurred_at"),
        ({"commune": CommuneFactory()}, "commune"),
        ({"status": IncidentStatus.SOLVED}, "solved_at"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as exc:
            _incident(j, **overrides)
        assert field in exc.value.message_dict, overrides
    assert not Incident.objects.exists()


def test_jointly_handled_follows_supporting_units():
    j = jurisdiction()
    alone = _incident(j)
    joint = _incident(j, supporting_units=[j.unit_b], suspects=3, suspects_dealt_with=2)
    assert not alone.jointly_handled and joint.jointly_handled


def test_incident_status_moves():
    j = jurisdiction()
    incident = _incident(j, suspects=2)
    incident = services.incident_set_status(actor=j.user, incident=incident, status=IncidentStatus.INVESTIGATING)
    with pytest.raises(ValidationError):
        services.incident_set_status(actor=j.user, incident=incident, status=IncidentStatus.SOLVED)
    incident = services.incident_set_status(
        actor=j.user, incident=incident, status=IncidentStatus.SOLVED, solved_at=local(2023, 6, 20, 10, 0),
        suspects_dealt_with=2,
    )
    assert incident.status == IncidentStatus.SOLVED
    with pytest.raises(ValidationError):
        services.incident_set_status(actor=j.user, incident=incident, status=IncidentStatus.RECEIVED)


def test_officer_edits_only_what_his_unit_leads_and_sees_cluster_records():
    j = jurisdiction()
    incident = _incident(j)
    partner = OfficerFactory(unit=j.unit_b).user
    assert Incident.objects.visible_to(partner).filter(pk=incident.pk).exists()
    with pytest.raises(PermissionDenied):
        services.incident_set_status(actor=partner, incident=incident, status=IncidentStatus.INVESTIGATING)
    commander = OfficerFactory(unit=j.unit_b, role=Role.COMMANDER).user
    assert Incident.objects.visible_to(commander).count() == 1
    assert not Incident.objects.visible_to(jurisdiction().user).exists()


def test_editing_keeps_links_to_tips_the_editor_cannot_see():
    j = jurisdiction()
    receiver = OfficerFactory(unit=j.unit_b).user
    # A tip from B to A's commander-level sibling is invisible to A's officer once B sends it elsewhere.
    third_unit = j.unit_a.__class__.objects.create(
        name="Ban Chỉ huy Quân sự thử", force="military", level="district", area=j.unit_b.area
    )
    j.agreement.parties.create(unit=third_unit, order=3)
    hidden_tip = _tip(j, actor=receiver, from_unit=j.unit_b, to_unit=third_unit)
    incident = _incident(j)
    incident.tips.add(hidden_tip)
    assert not Tip.objects.visible_to(j.user).filter(pk=hidden_tip.pk).exists()
    services.incident_update(actor=j.user, incident=incident, supporting_units=[], tips=[], patrols=[],
                             place="Bến đò")
    assert list(incident.tips.all()) == [hidden_tip]


def test_linking_a_tip_is_audited_and_shows_in_the_incident_history():
    from agreements.selectors import record_history

    j = jurisdiction()
    tip = _tip(j)
    incident = _incident(j)
    services.tip_link_incident(actor=j.user, tip=tip, incident=incident)
    labels = {row["label"] for row in record_history(user=j.user, objects=[incident])}
    assert "tip.add" in labels

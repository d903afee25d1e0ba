"""Writes that used to leave no audit event: accounts, a patrol's communes and named participants, a
campaign's and a checkpoint's units, an agreement's legal bases and coordination areas.

Each must leave an event naming the acting user (pghistory's context: the services' ``audit_context``,
or the middleware for the admin and the password page); an account's event never holds its password.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pghistory.models import Events

from agreements import services as agreement_services
from agreements.models import CoordinationArea, LegalBasis, Role
from agreements.services import AgreementData, PartyData
from agreements.tests.factories import OfficerFactory
from patrols import services as patrol_services
from patrols.services import ParticipantData, ParticipationData
from tests.helpers import log_patrol

pytestmark = pytest.mark.django_db

User = get_user_model()


def events(model: str, **filters):
    """Events recorded in ``model``'s event table (e.g. "patrols.PatrolCommuneLinkEvent"), oldest first."""
    return list(Events.objects.filter(pgh_model=model, **filters).order_by("pgh_id"))


def actor_of(event) -> int | None:
    return (event.pgh_context or {}).get("user")


# Accounts -------------------------------------------------------------------------------------------


def test_granting_superuser_and_deactivating_in_the_admin_are_audited_with_the_administrator(client):
    administrator = OfficerFactory(role=Role.ADMINISTRATOR).user
    administrator.is_superuser = True
    administrator.save()
    target = OfficerFactory().user
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[target.pk])
    joined = target.date_joined.astimezone(datetime.UTC)
    data = {
        "username": target.username, "first_name": target.first_name, "last_name": target.last_name,
        "email": "", "is_staff": "on", "is_superuser": "on",  # is_active left out: deactivated
        "date_joined_0": joined.strftime("%d/%m/%Y"), "date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "", "last_login_1": "",
        "groups": [g.pk for g in target.groups.all()],
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.is_superuser and not target.is_active
    event = events("agreements.AuditedUserEvent", pgh_obj_id=target.pk, pgh_label="update")[-1]
    assert actor_of(event) == administrator.pk
    assert event.pgh_diff["is_superuser"] == [False, True] and event.pgh_diff["is_active"] == [True, False]
    assert "password" not in event.pgh_data


def test_a_password_change_is_audited_without_the_hash_and_a_login_is_not(client):
    officer = OfficerFactory()
    user = officer.user
    before = len(events("agreements.AuditedUserEvent", pgh_obj_id=user.pk))
    response = client.post(reverse("login"), {"username": user.username, "password": "matkhau-thu-nghiem"})
    assert response.status_code == 302
    assert len(events("agreements.AuditedUserEvent", pgh_obj_id=user.pk)) == before  # last_login only

    response = client.post(
        reverse("password_change"),
        {"old_password": "matkhau-thu-nghiem", "new_password1": "Bien-gioi-2026!", "new_password2": "Bien-gioi-2026!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    (event,) = events("agreements.AuditedUserEvent", pgh_obj_id=user.pk, pgh_label="password.change")
    assert actor_of(event) == user.pk
    assert "password" not in event.pgh_data
    assert user.password not in str(event.pgh_data)


def test_role_change_audits_the_account_and_its_groups_with_the_actor():
    administrator = OfficerFactory(role=Role.ADMINISTRATOR).user
    officer = OfficerFactory()
    agreement_services.officer_set_role(actor=administrator, officer=officer, role=Role.ADMINISTRATOR)
    update = events("agreements.AuditedUserEvent", pgh_obj_id=officer.user_id, pgh_label="update")[-1]
    assert update.pgh_diff["is_staff"] == [False, True] and actor_of(update) == administrator.pk
    added = events("agreements.UserGroupLinkEvent", pgh_label="group.add", pgh_data__user_id=officer.user_id)
    removed = events("agreements.UserGroupLinkEvent", pgh_label="group.remove", pgh_data__user_id=officer.user_id)
    assert added and removed
    assert actor_of(added[-1]) == actor_of(removed[-1]) == administrator.pk


# Patrols, campaigns, checkpoints --------------------------------------------------------------------


def test_a_patrols_communes_and_named_participants_are_audited_with_the_actor(client, j):
    patrol = log_patrol(j, participants=[ParticipantData("Nguyễn Văn Tuần", j.unit_a, "Thượng úy")])
    added = events("patrols.PatrolCommuneLinkEvent", pgh_label="commune.add", pgh_data__patrol_id=patrol.pk)
    assert {e.pgh_data["administrativeunit_id"] for e in added} == {j.commune_a.pk, j.commune_b.pk}
    (named,) = events("patrols.PatrolParticipantEvent", pgh_label="insert", pgh_data__patrol_id=patrol.pk)
    assert named.pgh_data["full_name"] == "Nguyễn Văn Tuần"
    assert {actor_of(e) for e in [*added, named]} == {j.user.pk}

    editor = j.officer_of_a().user
    patrol_services.patrol_update(
        actor=editor, patrol=patrol, participations=[ParticipationData(j.unit_a, 4)], communes=[j.commune_a],
        participants=[ParticipantData("Trần Văn Chốt", j.unit_a)],
    )
    (removed,) = events("patrols.PatrolCommuneLinkEvent", pgh_label="commune.remove", pgh_data__patrol_id=patrol.pk)
    assert removed.pgh_data["administrativeunit_id"] == j.commune_b.pk and actor_of(removed) == editor.pk
    (gone,) = events("patrols.PatrolParticipantEvent", pgh_label="delete", pgh_data__patrol_id=patrol.pk)
    assert gone.pgh_data["full_name"] == "Nguyễn Văn Tuần" and actor_of(gone) == editor.pk

    # The patrol's history panel tells them in Vietnamese.
    client.force_login(j.user)
    html = client.get(patrol.get_absolute_url()).content.decode()
    history = html[html.index('id="lich-su"') :]
    assert "Bỏ xã, phường" in history and "Nguyễn Văn Tuần" in history  # the removed participant


def test_campaign_and_checkpoint_units_are_audited_with_the_actor(j):
    campaign = patrol_services.campaign_create(
        actor=j.user, agreement=j.agreement, name="Đợt cao điểm Tết", starts_on=datetime.date(2024, 1, 15),
        ends_on=datetime.date(2024, 2, 15), units=[j.unit_a, j.unit_b],
    )
    units = events("patrols.CampaignUnitLinkEvent", pgh_label="unit.add", pgh_data__campaign_id=campaign.pk)
    assert {e.pgh_data["unit_id"] for e in units} == {j.unit_a.pk, j.unit_b.pk}
    assert {actor_of(e) for e in units} == {j.user.pk}

    checkpoint = patrol_services.checkpoint_create(
        actor=j.user, agreement=j.agreement, cluster=j.cluster, place="Ngã ba thôn Đông", commune=j.commune_a,
        purpose="Kiểm soát vận chuyển hàng cấm", starts_on=datetime.date(2024, 1, 15), units=[j.unit_b],
    )
    (unit,) = events("patrols.CheckpointUnitLinkEvent", pgh_label="unit.add", pgh_data__checkpoint_id=checkpoint.pk)
    assert unit.pgh_data["unit_id"] == j.unit_b.pk and actor_of(unit) == j.user.pk


# Agreements -----------------------------------------------------------------------------------------


def test_an_agreements_legal_bases_and_coordination_areas_are_audited_with_the_actor(j, staff):
    basis = LegalBasis.objects.create(number="03/2019/NĐ-CP", issued_on=datetime.date(2019, 1, 5), title="Nghị định")
    first, second = CoordinationArea.objects.order_by("pk")[:2]
    parties = [PartyData(unit=j.unit_a), PartyData(unit=j.unit_b)]
    agreement_services.agreement_update(
        actor=staff, agreement=j.agreement, parties=parties,
        data=AgreementData(title=j.agreement.title, legal_bases=[basis], coordination_areas=[first]),
    )
    agreement_services.agreement_update(
        actor=staff, agreement=j.agreement, parties=parties,
        data=AgreementData(title=j.agreement.title, legal_bases=[], coordination_areas=[second]),
    )
    key = {"pgh_data__agreement_id": j.agreement.pk}
    bases = events("agreements.AgreementLegalBasisLinkEvent", **key)
    assert [e.pgh_label for e in bases] == ["legal_basis.add", "legal_basis.remove"]
    areas = events("agreements.AgreementAreaLinkEvent", **key)
    assert sorted(e.pgh_label for e in areas) == ["coordination_area.add"] * 2 + ["coordination_area.remove"]
    assert {actor_of(e) for e in [*bases, *areas]} == {staff.pk}

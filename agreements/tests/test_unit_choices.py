"""Unit selects offer, and accept, only the units the user may pick; a typed id never echoes a unit's name.

Boards and mobile teams: the parties of the cluster's agreement and the units under them. Parties:
the staff officer's own province (its police and every unit under it) plus the agreement's current
parties; administrators any unit. Patrol participants: the units of the user's agreements.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.forms import BoardMemberForm, MobileTeamMemberForm, party_formset
from agreements.models import Role, UnitLevel
from agreements.tests.factories import MobileTeamFactory, OfficerFactory, UnitFactory
from patrols.models import Patrol
from patrols.services import ParticipationData
from tests.helpers import html_of, log_patrol, patrol_form_data

pytestmark = pytest.mark.django_db

SECRET = "Đơn vị Bí Mật Tỉnh Khác"


@pytest.fixture
def elsewhere():
    """A unit of another province, in none of the user's agreements."""
    return UnitFactory(name=SECRET, parent=UnitFactory(level=UnitLevel.PROVINCE))


def _offered(field) -> set[int]:
    return {getattr(pk, "value", pk) for pk, _label in field.choices if pk != ""}


def test_board_and_team_members_come_from_the_agreements_parties_and_their_units(j, elsewhere):
    post = UnitFactory(parent=j.unit_b, name="Công an xã dưới bên B")
    board = BoardMemberForm(cluster=j.cluster)
    team = MobileTeamMemberForm(team=MobileTeamFactory(cluster=j.cluster))

    for form in (board, team):
        assert _offered(form.fields["unit"]) == {j.unit_a.pk, j.unit_b.pk, post.pk}

    data = {"full_name": "Đinh Văn Hùng", "unit": elsewhere.pk, "board_role": "member"}
    form = BoardMemberForm(data, cluster=j.cluster)
    assert not form.is_valid()
    assert form.errors["unit"] == ["Chọn một đơn vị trong danh sách."]


def test_the_board_page_refuses_a_unit_of_another_province_without_naming_it(client, j, staff, elsewhere):
    client.force_login(staff)
    response = client.post(
        reverse("agreements:board_member_add", kwargs={"pk": j.cluster.pk}),
        {"full_name": "Đinh Văn Hùng", "unit": elsewhere.pk, "board_role": "member", "duties": "Tuyên truyền"},
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "Chọn một đơn vị trong danh sách." in html
    assert SECRET not in html
    assert not j.cluster.board_members.exists()


def test_staff_names_parties_from_his_province_and_the_current_parties(j, elsewhere):
    province = UnitFactory(level=UnitLevel.PROVINCE, name="Công an tỉnh Nhà")
    own = UnitFactory(parent=province)
    neighbour_district = UnitFactory(parent=province)
    staff = OfficerFactory(unit=own, role=Role.STAFF).user

    new = party_formset(user=staff)
    offered = _offered(new.forms[0].fields["unit"])
    assert {province.pk, own.pk, neighbour_district.pk} <= offered
    assert elsewhere.pk not in offered and j.unit_a.pk not in offered

    editing = party_formset(user=staff, agreement=j.agreement)
    assert {j.unit_a.pk, j.unit_b.pk, own.pk} <= _offered(editing.forms[0].fields["unit"])

    data = {
        "parties-TOTAL_FORMS": "2", "parties-INITIAL_FORMS": "0", "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000", "parties-0-unit": str(own.pk), "parties-1-unit": str(elsewhere.pk),
    }
    formset = party_formset(data, user=staff)
    assert not formset.is_valid()
    assert formset.forms[1].errors["unit"] == ["Chọn một đơn vị trong danh sách."]

    admin = OfficerFactory(role=Role.ADMINISTRATOR).user
    assert party_formset(data, user=admin).is_valid()


def test_a_typed_participant_id_is_refused_without_its_name(client, j, elsewhere):
    client.force_login(j.user)
    rows = [(j.unit_a.pk, "4"), (elsewhere.pk, "2")]

    response = client.post(reverse("patrols:patrol_create"), patrol_form_data(j, rows=rows))

    assert response.status_code == 200
    html = html_of(response)
    assert SECRET not in html
    assert response.context["formset"].forms[1].errors["unit"] == ["Chọn một đơn vị trong danh sách."]
    assert not Patrol.objects.exists()


def test_the_patrol_service_does_not_name_a_unit_the_actor_may_not_pick(j, elsewhere):
    with pytest.raises(ValidationError) as refused:
        log_patrol(j, participations=[ParticipationData(j.unit_a, 4), ParticipationData(elsewhere, 2)])
    assert refused.value.message_dict["participations"] == ["Một đơn vị tham gia không thuộc các bên của quy chế."]

"""The patrol, campaign and checkpoint forms on their own: what they offer and what they refuse
before a service is called. The pages around them are tested in test_views_*.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from agreements.forms import Scope, commune_label
from agreements.models import ClusterMember, Role
from agreements.tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ClusterMemberFactory,
    CommuneFactory,
    OfficerFactory,
    UnitFactory,
    UserFactory,
)
from patrols.forms import (
    CampaignForm,
    CheckpointForm,
    PatrolForm,
    participation_formset,
    patrol_initial,
    patrol_initial_from,
)
from patrols.models import Patrol, PatrolStatus
from patrols.services import ParticipationData
from patrols.tests.factories import PatrolParticipationFactory, local
from tests.helpers import log_patrol, patrol_form_data

pytestmark = pytest.mark.django_db

WRONG_COMMUNE = "Xã, phường đã chọn không thuộc cụm hoặc địa bàn của quy chế."
WRONG_UNIT = "Đơn vị đã chọn không thuộc các bên của quy chế."


def shown_communes(form) -> set[int]:
    return {pk for pk, _label in form.fields["communes"].widget.choices}


def scope_values(form) -> list[str]:
    return [value for _group, options in form.fields["scope"].choices[1:] for value, _label in options]


# Where and when ---------------------------------------------------------------------------------


def test_scope_offers_only_the_users_agreement_and_clusters(j, other_j):
    assert scope_values(PatrolForm(user=j.user)) == [f"c{j.cluster.pk}", f"a{j.agreement.pk}"]


def test_a_new_patrol_starts_on_the_cluster_holding_the_officers_area_led_by_his_unit(j):
    form = PatrolForm(user=j.user)

    assert form.initial["scope"] == f"c{j.cluster.pk}"
    assert form.initial["lead_unit"] == j.unit_a.pk
    assert form.initial["status"] == PatrolStatus.DONE
    assert shown_communes(form) == {j.commune_a.pk, j.commune_b.pk}


def test_communes_shown_are_the_cluster_members_on_the_patrols_day(j):
    joined_in_june = ClusterMemberFactory(
        cluster=j.cluster, responsible_party=j.party_a, valid_from=datetime.date(2023, 6, 1)
    ).commune
    CommuneFactory(parent=j.unit_a.area)  # in side A's area but no member of the cluster

    may = PatrolForm(patrol_form_data(j), user=j.user)
    june = PatrolForm(patrol_form_data(j, started_at="2023-06-10T19:00", ended_at="2023-06-10T22:00"), user=j.user)

    assert shown_communes(may) == {j.commune_a.pk, j.commune_b.pk}
    assert shown_communes(june) == {j.commune_a.pk, j.commune_b.pk, joined_in_june.pk}
    assert (j.commune_a.pk, commune_label(j.commune_a)) in may.fields["communes"].widget.choices


def test_a_ticked_commune_stays_shown_outside_the_clusters_day(j):
    outside = CommuneFactory(parent=j.unit_a.area)

    form = PatrolForm(patrol_form_data(j, communes=[outside.pk]), user=j.user)

    assert shown_communes(form) == {j.commune_a.pk, j.commune_b.pk, outside.pk}
    # Within the parties' areas the form lets it through; the service answers with the day rule.
    assert form.is_valid(), form.errors


def test_a_commune_outside_the_agreement_is_refused(j, other_j):
    form = PatrolForm(patrol_form_data(j, communes=[other_j.commune_a.pk]), user=j.user)

    assert not form.is_valid()
    assert form.errors["communes"] == [WRONG_COMMUNE]


def test_outside_the_clusters_every_commune_of_the_parties_areas_is_shown(j):
    outside = CommuneFactory(parent=j.unit_b.area)

    form = PatrolForm(patrol_form_data(j, scope=f"a{j.agreement.pk}", communes=[]), user=j.user)

    assert shown_communes(form) == {j.commune_a.pk, j.commune_b.pk, outside.pk}


def test_without_a_scope_no_commune_is_shown(j):
    assert shown_communes(PatrolForm(patrol_form_data(j, scope=""), user=j.user)) == set()


def test_editing_keeps_showing_a_ticked_commune_that_has_since_left_the_cluster(j):
    patrol = log_patrol(j)
    ClusterMember.objects.filter(pk=j.member_b.pk).update(valid_to=datetime.date(2023, 5, 1))

    form = PatrolForm(user=j.user, patrol=patrol, initial=patrol_initial_from(patrol))

    assert shown_communes(form) == {j.commune_a.pk, j.commune_b.pk}


def test_a_redraw_keeps_what_was_typed_and_follows_the_new_scope(j):
    outside = CommuneFactory(parent=j.unit_a.area)
    typed = QueryDict(mutable=True)
    typed.update({"scope": f"c{j.cluster.pk}", "programme": "Tuyến mới", "started_at": "2023-06-10T19:00"})
    typed.setlist("communes", [str(outside.pk)])

    form = PatrolForm(user=j.user, refresh=typed)

    assert not form.is_bound
    assert form.initial["programme"] == "Tuyến mới"
    assert form.initial["started_at"] == "2023-06-10T19:00"
    assert form.initial["communes"] == [str(outside.pk)]
    assert "ended_at" not in form.initial  # no "two hours ago" default over a half-typed form
    assert form.commune_scope == Scope(agreement=j.agreement, cluster=j.cluster)
    assert shown_communes(form) == {j.commune_a.pk, j.commune_b.pk, outside.pk}


def test_an_end_before_the_start_is_refused_beside_the_end(j):
    form = PatrolForm(patrol_form_data(j, ended_at="2023-05-10T18:59"), user=j.user)

    assert not form.is_valid()
    assert form.errors == {"ended_at": ["Thời điểm kết thúc phải sau thời điểm bắt đầu."]}


# Who leads it -----------------------------------------------------------------------------------


def test_an_officer_leads_for_his_unit_or_those_above_it(j):
    post = UnitFactory(parent=j.unit_a, area=j.commune_a)
    UnitFactory(parent=post, area=j.commune_a)  # under him: not his to lead for
    user = OfficerFactory(unit=post).user

    form = PatrolForm(user=user)

    assert set(form.fields["lead_unit"].queryset) == {post, j.unit_a}
    assert form.single_lead_unit is None
    assert PatrolForm(user=j.user).single_lead_unit == j.unit_a


def test_a_lead_unit_that_is_not_the_users_is_refused(j):
    form = PatrolForm(patrol_form_data(j, lead_unit=j.unit_b.pk), user=j.user)

    assert not form.is_valid()
    assert list(form.errors) == ["lead_unit"]


def test_an_administrator_may_lead_for_any_unit(j, other_j):
    admin = OfficerFactory(unit=j.unit_a, role=Role.ADMINISTRATOR).user

    form = PatrolForm(patrol_form_data(j, lead_unit=other_j.unit_b.pk), user=admin)

    assert {j.unit_b, other_j.unit_a, other_j.unit_b} <= set(form.fields["lead_unit"].queryset)
    assert form.is_valid(), form.errors


def test_editing_drops_the_lead_unit_and_a_confirmed_patrol_drops_its_status(j):
    patrol = log_patrol(j)
    editing = PatrolForm(patrol_form_data(j), user=j.user, patrol=patrol)
    assert "lead_unit" not in editing.fields and "status" in editing.fields

    Patrol.objects.filter(pk=patrol.pk).update(status=PatrolStatus.CONFIRMED)
    patrol.refresh_from_db()
    confirmed = PatrolForm(patrol_form_data(j, status="planned"), user=j.user, patrol=patrol)

    assert "lead_unit" not in confirmed.fields and "status" not in confirmed.fields
    assert confirmed.is_valid(), confirmed.errors
    assert "status" not in confirmed.service_values() and "lead_unit" not in confirmed.service_values()


def test_service_values_hand_over_the_scope_split_and_the_trimmed_programme(j):
    form = PatrolForm(patrol_form_data(j, programme="  Tuyến biển bình yên  ", status="planned"), user=j.user)

    assert form.is_valid(), form.errors
    assert form.service_values() == {
        "agreement": j.agreement,
        "cluster": j.cluster,
        "programme": "Tuyến biển bình yên",
        "started_at": local(2023, 5, 10, 19, 0),
        "ended_at": local(2023, 5, 10, 23, 0),
        "communes": [j.commune_a, j.commune_b],
        "route": "Đường ven biển thôn Đông",
        "findings": "Nhắc nhở 2 nhóm thanh niên tụ tập",
        "status": "planned",
        "lead_unit": j.unit_a,
    }


# The form's starting values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "start"), [((15, 30), (13, 30)), ((0, 45), (0, 0))], ids=["afternoon", "just-after-midnight"]
)
def test_patrol_initial_is_the_last_two_hours_of_today(j, monkeypatch, now, start):
    moment = local(2023, 5, 10, *now, 27)
    monkeypatch.setattr(timezone, "now", lambda: moment)

    initial = patrol_initial(j.user)

    assert initial == {
        "started_at": local(2023, 5, 10, *start),
        "ended_at": local(2023, 5, 10, *now),
        "status": PatrolStatus.DONE,
        "lead_unit": j.unit_a.pk,
    }


def test_patrol_initial_names_no_lead_unit_for_a_user_without_one(db):
    assert "lead_unit" not in patrol_initial(UserFactory())


def test_patrol_initial_from_a_confirmed_patrol_edits_it_as_done(j):
    patrol = log_patrol(j, route="Ven sông", findings="Không phát hiện vi phạm")
    Patrol.objects.filter(pk=patrol.pk).update(status=PatrolStatus.CONFIRMED)
    patrol.refresh_from_db()

    initial = patrol_initial_from(patrol)

    assert initial == {
        "scope": f"c{j.cluster.pk}", "programme": "Tuyến biển bình yên", "started_at": local(2023, 5, 10, 19, 0),
        "ended_at": local(2023, 5, 10, 23, 0), "communes": initial["communes"], "route": "Ven sông",
        "findings": "Không phát hiện vi phạm", "status": PatrolStatus.DONE,
    }
    assert set(initial["communes"]) == {j.commune_a, j.commune_b}
    assert initial["started_at"].tzinfo is not None and initial["started_at"].utcoffset().total_seconds() == 7 * 3600


def test_patrol_initial_from_an_agreement_wide_planned_patrol(j):
    patrol = log_patrol(j, cluster=None, communes=[], status=PatrolStatus.PLANNED)

    initial = patrol_initial_from(patrol)

    assert (initial["scope"], initial["status"], initial["communes"]) == (f"a{j.agreement.pk}", "planned", [])


# The participating units --------------------------------------------------------------------------


def test_rows_give_each_unit_with_its_officers_skipping_empty_rows(j):
    formset = participation_formset(patrol_form_data(j), user=j.user)

    assert formset.is_valid(), formset.errors
    assert formset.rows() == [ParticipationData(j.unit_a, 4), ParticipationData(j.unit_b, 3)]


def test_a_unit_given_twice_is_marked_on_its_second_row(j):
    formset = participation_formset(patrol_form_data(j, rows=[(j.unit_a.pk, "4"), (j.unit_a.pk, "2")]), user=j.user)

    assert not formset.is_valid()
    assert formset.forms[0].errors == {}
    assert formset.forms[1].errors == {"unit": ["Đơn vị này đã được khai báo ở dòng trên."]}


@pytest.mark.parametrize(
    ("row", "errors"),
    [
        (("", "3"), {"unit": ["Chọn đơn vị."]}),
        (("A", ""), {"officers": ["Nhập số cán bộ, chiến sĩ của đơn vị này."]}),
        (("A", "0"), {"officers": ["Số cán bộ, chiến sĩ phải lớn hơn 0."]}),
        (("A", "ba"), {"officers": ["Nhập số cán bộ, chiến sĩ bằng chữ số."]}),
    ],
    ids=["officers-without-unit", "unit-without-officers", "zero-officers", "officers-in-words"],
)
def test_a_half_filled_row_says_what_is_missing(j, row, errors):
    unit, officers = row
    data = patrol_form_data(j, rows=[(j.unit_a.pk if unit == "A" else "", officers)])

    formset = participation_formset(data, user=j.user)

    assert not formset.is_valid()
    assert formset.forms[0].errors == errors


def test_no_unit_at_all_is_refused_above_the_rows(j):
    formset = participation_formset(patrol_form_data(j, rows=[("", ""), ("", "")]), user=j.user)

    assert not formset.is_valid()
    assert formset.non_form_errors() == ["Nhập ít nhất một đơn vị tham gia và số cán bộ, chiến sĩ."]


def test_units_offered_are_those_of_the_users_agreements(j, other_j):
    post = UnitFactory(parent=j.unit_b, area=j.commune_b, name="Đồn biên phòng Thử")

    formset = participation_formset(user=j.user)

    units = sorted([j.unit_a, j.unit_b, post], key=lambda u: (u.name, u.pk))
    assert formset.unit_choices() == [("", "— Chọn đơn vị —")] + [(u.pk, u.name) for u in units]
    assert formset.forms[0].initial == {"unit": j.unit_a.pk}


def test_editing_still_offers_a_unit_that_took_part_from_outside_the_agreement(j):
    patrol = log_patrol(j)
    outsider = PatrolParticipationFactory(patrol=patrol, officers=2).unit

    formset = participation_formset(user=j.user, patrol=patrol)

    assert (outsider.pk, outsider.name) in formset.unit_choices()
    assert {(row["unit"], row["officers"]) for row in formset.initial} == {
        (j.unit_a.pk, 4), (j.unit_b.pk, 3), (outsider.pk, 2)
    }


# Campaigns and checkpoints -----------------------------------------------------------------------


def campaign_data(j, **overrides) -> dict:
    data = {
        "scope": f"c{j.cluster.pk}", "name": "  Đợt cao điểm dịp Tết Nguyên đán  ", "starts_on": "2023-01-10",
        "ends_on": "2023-02-10", "units": [j.unit_a.pk, j.unit_b.pk], "targets": "Triệt phá 2 tụ điểm",
    }
    return {**data, **overrides}


def checkpoint_data(j, **overrides) -> dict:
    data = {
        "scope": f"c{j.cluster.pk}", "place": " Đường liên xã, thôn Đông ", "commune": j.commune_a.pk,
        "purpose": "Chống vận chuyển khoáng sản trái phép", "starts_on": "2023-03-01", "ends_on": "",
        "units": [j.unit_a.pk],
    }
    return {**data, **overrides}


def test_campaign_units_are_the_parties_of_the_scopes_agreement_and_the_units_under_them(j, other_j):
    post = UnitFactory(parent=j.unit_a)
    team = UnitFactory(parent=post)
    elsewhere = AgreementFactory()
    AgreementPartyFactory(agreement=elsewhere, unit=j.unit_a)
    stranger = AgreementPartyFactory(agreement=elsewhere).unit

    in_cluster = CampaignForm(campaign_data(j), user=j.user)
    in_other = CampaignForm(campaign_data(j, scope=f"a{elsewhere.pk}"), user=j.user)

    assert set(in_cluster.fields["units"].queryset) == {j.unit_a, j.unit_b, post, team}
    assert set(in_other.fields["units"].queryset) == {j.unit_a, post, team, stranger}
    assert list(CampaignForm(campaign_data(j, scope=""), user=j.user).fields["units"].queryset) == []


def test_campaign_refuses_a_unit_of_another_agreement_and_an_end_before_the_start(j, other_j):
    form = CampaignForm(campaign_data(j, units=[other_j.unit_a.pk], ends_on="2023-01-09"), user=j.user)

    assert not form.is_valid()
    assert form.errors == {"units": [WRONG_UNIT], "ends_on": ["Ngày kết thúc phải sau ngày bắt đầu."]}


def test_campaign_service_values(j):
    form = CampaignForm(campaign_data(j), user=j.user)

    assert form.is_valid(), form.errors
    values = form.service_values()
    assert values == {
        "agreement": j.agreement,
        "cluster": j.cluster,
        "name": "Đợt cao điểm dịp Tết Nguyên đán",
        "starts_on": datetime.date(2023, 1, 10),
        "ends_on": datetime.date(2023, 2, 10),
        "units": values["units"],
        "targets": "Triệt phá 2 tụ điểm",
        "results": "",
    }
    assert set(values["units"]) == {j.unit_a, j.unit_b}


def test_checkpoint_communes_are_the_cluster_and_the_parties_areas(j, other_j):
    outside = CommuneFactory(parent=j.unit_b.area)

    commune = CheckpointForm(checkpoint_data(j), user=j.user).fields["commune"]

    assert {pk for pk, _label in commune.choices if pk} == {j.commune_a.pk, j.commune_b.pk, outside.pk}
    assert list(commune.choices)[0] == ("", "— Chọn xã, phường —")
    form = CheckpointForm(checkpoint_data(j, commune=other_j.commune_a.pk), user=j.user)
    assert not form.is_valid()
    assert form.errors == {"commune": [WRONG_COMMUNE]}


def test_an_open_checkpoint_needs_no_end_but_a_closed_one_ends_after_it_starts(j):
    open_ended = CheckpointForm(checkpoint_data(j), user=j.user)
    assert open_ended.is_valid(), open_ended.errors
    assert open_ended.service_values() == {
        "agreement": j.agreement,
        "cluster": j.cluster,
        "place": "Đường liên xã, thôn Đông",
        "commune": j.commune_a,
        "purpose": "Chống vận chuyển khoáng sản trái phép",
        "starts_on": datetime.date(2023, 3, 1),
        "ends_on": None,
        "units": [j.unit_a],
    }

    inverted = CheckpointForm(checkpoint_data(j, ends_on="2023-02-28"), user=j.user)
    assert not inverted.is_valid()
    assert inverted.errors == {"ends_on": ["Ngày kết thúc phải sau ngày bắt đầu."]}

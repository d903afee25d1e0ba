"""One rule for every date and time a person enters: from 01/01/1990 up to 31/12/2100, and not in the
future for what must already have happened (an incident, a tip's receipt, a patrol carried out, a
case solved).

Year 1 is UTC+07:06:30 in Asia/Ho_Chi_Minh; PostgreSQL stored it as a BC timestamp psycopg could not
read back, and most pages of the record's agreement answered 500 for everyone. Forms and services
refuse such a value beside the field; a check constraint keeps it out of the database whatever the path.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from agreements import services as registry
from agreements.models import Agreement, ClusterMember
from borderzone.constraints import refuse_rows_outside
from borderzone.forms import BoundedDateField, BoundedDateTimeField
from borderzone.services import validate_moment
from incidents import services as incident_services
from incidents.models import Incident, Tip
from incidents.tests.factories import category
from patrols import services as patrol_services
from patrols.models import Campaign, Checkpoint, Patrol
from patrols.tests.factories import CampaignFactory, PatrolFactory, local
from tests.helpers import (
    error_beside,
    html_of,
    incident_data,
    incident_of,
    log_patrol,
    patrol_form_data,
    tip_data,
    tip_of,
)

pytestmark = pytest.mark.django_db

TOO_EARLY = "Ngày này quá xa trong quá khứ: chỉ nhận từ ngày 01/01/1990."
TOO_LATE = "Ngày này quá xa: chỉ nhận đến ngày 31/12/2100."
FUTURE = "Thời điểm này nằm ở tương lai."
YEAR_ONE = datetime.datetime(1, 1, 1, tzinfo=timezone.get_fixed_timezone(0))


# The shared rule ------------------------------------------------------------------------------------


def test_date_field_accepts_1990_and_refuses_the_day_before_and_after_2100():
    field = BoundedDateField(required=False)
    assert field.clean("1990-01-01") == datetime.date(1990, 1, 1)
    assert field.clean("2100-12-31") == datetime.date(2100, 12, 31)
    with pytest.raises(ValidationError) as exc:
        field.clean("1989-12-31")
    assert exc.value.messages == [TOO_EARLY]
    with pytest.raises(ValidationError) as exc:
        field.clean("9999-12-31")
    assert exc.value.messages == [TOO_LATE]


def test_date_time_field_refuses_year_one_and_the_future_when_asked():
    field = BoundedDateTimeField(not_in_future=True)
    with pytest.raises(ValidationError) as exc:
        field.clean("0001-01-01T00:00")
    assert exc.value.messages == [TOO_EARLY]
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        field.clean(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    assert exc.value.messages == [FUTURE]
    assert BoundedDateTimeField().clean(tomorrow.strftime("%Y-%m-%dT%H:%M")) is not None


def test_validate_moment_names_the_field_and_survives_year_one_in_any_zone():
    with pytest.raises(ValidationError) as exc:
        validate_moment(YEAR_ONE, "occurred_at", not_in_future=True)
    assert exc.value.message_dict == {"occurred_at": [TOO_EARLY]}
    with pytest.raises(ValidationError) as exc:
        validate_moment(datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC), "x")
    assert exc.value.message_dict == {"x": [TOO_LATE]}
    validate_moment(None, "solved_at", not_in_future=True)


# Pages: the message beside the field, what was typed kept, nothing saved -------------------------------


@pytest.mark.parametrize(("url_name", "field", "data", "model"), [
    ("incidents:incident_create", "occurred_at", incident_data, Incident),
    ("incidents:tip_create", "received_at", tip_data, Tip),
    ("patrols:patrol_create", "started_at", patrol_form_data, Patrol),
])
@pytest.mark.parametrize(("typed", "message"), [("0001-01-01T00:00", TOO_EARLY), ("9999-12-31T23:59", TOO_LATE)])
def test_record_pages_refuse_a_moment_out_of_range_beside_the_field(client, j, url_name, field, data, model, typed,
                                                                    message):
    client.force_login(j.user)
    response = client.post(reverse(url_name), data(j, **{field: typed}))
    assert response.status_code == 200
    html = html_of(response)
    assert error_beside(html, field, message)
    assert f'value="{typed}"' in html
    assert not model.objects.exists()


def test_a_patrol_ending_in_year_one_is_refused_beside_its_end(client, j):
    client.force_login(j.user)
    response = client.post(reverse("patrols:patrol_create"), patrol_form_data(j, ended_at="0001-01-01T04:00"))
    assert error_beside(html_of(response), "ended_at", TOO_EARLY)
    assert not Patrol.objects.exists()


def test_tip_deadline_and_solved_at_follow_the_rule(client, j):
    client.force_login(j.user)
    response = client.post(reverse("incidents:tip_create"), tip_data(j, deadline="9999-12-31"))
    assert error_beside(html_of(response), "deadline", TOO_LATE)
    response = client.post(
        reverse("incidents:incident_create"),
        incident_data(j, status="solved", solved_at="0001-01-01T00:00"),
    )
    assert error_beside(html_of(response), "solved_at", TOO_EARLY)
    assert not Tip.objects.exists() and not Incident.objects.exists()


def test_campaign_and_checkpoint_pages_refuse_year_one(client, j):
    client.force_login(j.user)
    response = client.post(reverse("patrols:campaign_create"), {
        "scope": f"c{j.cluster.pk}", "name": "Cao điểm Tết", "starts_on": "0001-01-01", "ends_on": "2023-02-01",
    })
    assert error_beside(html_of(response), "starts_on", TOO_EARLY)
    response = client.post(reverse("patrols:checkpoint_create"), {
        "scope": f"c{j.cluster.pk}", "place": "Cầu Đông", "commune": j.commune_a.pk, "purpose": "Kiểm soát",
        "starts_on": "2023-01-01", "ends_on": "9999-12-31",
    })
    assert error_beside(html_of(response), "ends_on", TOO_LATE)
    assert not Campaign.objects.exists() and not Checkpoint.objects.exists()


def test_cluster_member_page_refuses_year_one(client, j, staff):
    client.force_login(staff)
    member = j.member_a
    response = client.post(reverse("agreements:cluster_member_update", args=[member.pk]), {
        "responsible_party": member.responsible_party_id, "valid_from": "0001-01-01", "valid_to": "",
    })
    assert error_beside(html_of(response), "valid_from", TOO_EARLY)
    member.refresh_from_db()
    assert member.valid_from.year >= 1990


# Services: the same rule whoever calls them ------------------------------------------------------------


def test_services_refuse_year_one_beside_the_field(j):
    with pytest.raises(ValidationError) as exc:
        incident_services.incident_create(
            actor=j.user, agreement=j.agreement, cluster=j.cluster, occurred_at=YEAR_ONE, commune=j.commune_a,
            category=category("trom-cap"), lead_unit=j.unit_a, source="public", summary="Trộm cắp",
        )
    assert exc.value.message_dict == {"occurred_at": [TOO_EARLY]}
    with pytest.raises(ValidationError) as exc:
        incident_services.tip_create(
            actor=j.user, agreement=j.agreement, cluster=j.cluster, from_unit=j.unit_a, to_unit=j.unit_b,
            received_at=YEAR_ONE, category=category("danh-bac"), commune=j.commune_a, summary="Đánh bạc",
            deadline=datetime.date(2023, 1, 1),
        )
    assert exc.value.message_dict == {"received_at": [TOO_EARLY]}
    with pytest.raises(ValidationError) as exc:
        log_patrol(j, started_at=YEAR_ONE, ended_at=YEAR_ONE + datetime.timedelta(hours=2))
    assert exc.value.message_dict == {"started_at": [TOO_EARLY]}
    with pytest.raises(ValidationError) as exc:
        patrol_services.campaign_create(
            actor=j.user, agreement=j.agreement, name="Tết", starts_on=datetime.date(1, 1, 1),
            ends_on=datetime.date(2023, 1, 1),
        )
    assert exc.value.message_dict == {"starts_on": [TOO_EARLY]}
    with pytest.raises(ValidationError) as exc:
        registry.cluster_member_update(actor=None, member=j.member_a, valid_to=datetime.date(9999, 12, 31))
    assert exc.value.message_dict == {"valid_to": [TOO_LATE]}
    assert not Incident.objects.exists() and not Tip.objects.exists() and not Patrol.objects.exists()


def test_a_planned_patrol_may_lie_ahead_but_not_beyond_2100(j):
    ahead = timezone.now() + datetime.timedelta(days=2)
    patrol = log_patrol(j, status="planned", started_at=ahead, ended_at=ahead + datetime.timedelta(hours=3))
    assert patrol.pk
    with pytest.raises(ValidationError) as exc:
        log_patrol(j, status="planned", started_at=local(2101, 1, 1, 8, 0), ended_at=local(2101, 1, 1, 9, 0))
    assert exc.value.message_dict == {"started_at": [TOO_LATE]}


# The database: nothing can store it -----------------------------------------------------------------------


def _refused(queryset, **values) -> bool:
    try:
        with transaction.atomic():
            queryset.update(**values)
    except IntegrityError:
        return True
    return False


def test_the_database_refuses_out_of_range_dates_on_every_entered_column(j):
    incident, tip, patrol = incident_of(j), tip_of(j), PatrolFactory(
        agreement=j.agreement, cluster=j.cluster, lead_unit=j.unit_a,
    )
    campaign = CampaignFactory(agreement=j.agreement)
    checkpoint = Checkpoint.objects.create(
        agreement=j.agreement, place="Cầu", commune=j.commune_a, purpose="Kiểm soát",
        starts_on=datetime.date(2023, 1, 1),
    )
    year_one, far = datetime.date(1, 1, 1), datetime.date(9999, 12, 31)
    cases = [
        (Incident.objects.filter(pk=incident.pk), {"occurred_at": YEAR_ONE}),
        (Incident.objects.filter(pk=incident.pk), {"solved_at": YEAR_ONE, "status": "solved"}),
        (Tip.objects.filter(pk=tip.pk), {"received_at": YEAR_ONE}),
        (Tip.objects.filter(pk=tip.pk), {"deadline": far}),
        (Patrol.objects.filter(pk=patrol.pk), {"started_at": YEAR_ONE}),
        (Patrol.objects.filter(pk=patrol.pk), {"ended_at": datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)}),
        (Campaign.objects.filter(pk=campaign.pk), {"starts_on": year_one}),
        (Checkpoint.objects.filter(pk=checkpoint.pk), {"ends_on": far}),
        (ClusterMember.objects.filter(pk=j.member_a.pk), {"valid_from": year_one}),
        (Agreement.objects.filter(pk=j.agreement.pk), {"signed_on": year_one}),
        (Agreement.objects.filter(pk=j.agreement.pk), {"effective_to": far}),
    ]
    assert [values for queryset, values in cases if not _refused(queryset, **values)] == []
    # 1990-01-01 00:00 local, the first moment allowed, is kept.
    Incident.objects.filter(pk=incident.pk).update(occurred_at=local(1990, 1, 1, 0, 0))


def test_the_migration_stops_with_the_ids_of_rows_that_break_the_rule(j):
    incident = incident_of(j)
    with connection.cursor() as cursor:
        # Deferred foreign-key checks of the rows just created would otherwise forbid the ALTER.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE incidents_incident DROP CONSTRAINT incident_sane_dates")
    Incident.objects.filter(pk=incident.pk).update(occurred_at=YEAR_ONE)
    constraint = next(c for c in Incident._meta.constraints if c.name == "incident_sane_dates")
    check = refuse_rows_outside("incidents", {"incident": constraint})
    with pytest.raises(RuntimeError) as exc:
        check(apps, connection.schema_editor())
    assert "incidents_incident: 1 dòng" in str(exc.value)
    assert f"id {incident.pk}" in str(exc.value)
    Incident.objects.filter(pk=incident.pk).update(occurred_at=local(2023, 1, 1, 8, 0))
    check(apps, connection.schema_editor())

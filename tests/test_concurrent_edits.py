"""Two people edit the same record: the second save over a newer version is refused, not a silent revert.

Each edit page carries the version it was loaded from; the service compares it with the stored row
under a lock (``borderzone.services.check_version``). The refused page keeps what was typed, says
who saved meanwhile and what is stored now, and carries the newer version for a deliberate retry.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from agreements import services as agreement_services
from agreements.models import Agreement, Cluster, Role
from agreements.tests.test_views_agreements import agreement_edit_data
from incidents.models import Incident
from patrols import services as patrol_services
from patrols.models import Patrol
from patrols.services import ParticipationData
from tests.helpers import html_of, incident_data, incident_of, log_patrol, patrol_form_data

pytestmark = pytest.mark.django_db

REFUSED = "sau khi bạn mở trang sửa; thay đổi của bạn chưa được lưu"


def two_editors(first_user, second_user) -> tuple[Client, Client]:
    first, second = Client(), Client()
    first.force_login(first_user)
    second.force_login(second_user)
    return first, second


def loaded_version(response) -> str:
    return str(response.context["form"]["version"].value())


def test_second_incident_save_is_refused_with_what_changed_and_keeps_the_typed_values(j):
    incident = incident_of(j, place="Bãi sông thôn 3")
    url = reverse("incidents:incident_update", kwargs={"pk": incident.pk})
    first, second = two_editors(j.user, j.officer_of_a().user)
    first_version, second_version = loaded_version(first.get(url)), loaded_version(second.get(url))
    assert first_version == second_version == "1"

    data = incident_data(j, place="Ngã ba chợ", version=first_version)
    del data["status"]
    assert first.post(url, data).status_code == 302

    data = incident_data(j, place="Cầu treo", summary="Bản ghi của người thứ hai", version=second_version)
    del data["status"]
    response = second.post(url, data)
    assert response.status_code == 200
    html = html_of(response)
    assert REFUSED in html
    assert f"{j.user.last_name} {j.user.first_name}" in html  # who saved meanwhile, family name first
    assert "Địa điểm cụ thể: Ngã ba chợ" in html  # what is stored now
    form = response.context["form"]
    assert form["place"].value() == "Cầu treo" and form["summary"].value() == "Bản ghi của người thứ hai"
    incident.refresh_from_db()
    assert incident.place == "Ngã ba chợ" and incident.version == 2

    # Having seen the change, the second editor may save his values deliberately.
    assert form["version"].value() == "2"
    data["version"] = "2"
    assert second.post(url, data).status_code == 302
    incident.refresh_from_db()
    assert incident.place == "Cầu treo" and incident.version == 3


def test_second_patrol_save_is_refused_on_the_formset_page_and_keeps_the_typed_rows(j):
    patrol = log_patrol(j)
    url = reverse("patrols:patrol_update", args=[patrol.pk])
    first, second = two_editors(j.user, j.officer_of_a().user)
    first_version, second_version = loaded_version(first.get(url)), loaded_version(second.get(url))

    response = first.post(url, patrol_form_data(j, findings="Người thứ nhất ghi", version=first_version))
    assert response.status_code == 302

    rows = [(j.unit_a.pk, "6"), (j.unit_b.pk, "9"), ("", "")]
    data = patrol_form_data(j, rows=rows, findings="Người thứ hai ghi", version=second_version)
    response = second.post(url, data)
    assert response.status_code == 200
    html = html_of(response)
    assert REFUSED in html and "Kết quả, tình hình phát hiện: Người thứ nhất ghi" in html
    assert response.context["form"]["findings"].value() == "Người thứ hai ghi"
    formset = response.context["formset"]
    assert [f["officers"].value() for f in formset.forms[:2]] == ["6", "9"]
    patrol.refresh_from_db()
    assert patrol.findings == "Người thứ nhất ghi" and patrol.officer_total == 7
    assert sorted(patrol.participations.values_list("officers", flat=True)) == [3, 4]


def test_second_agreement_and_cluster_saves_are_refused(j):
    first, second = two_editors(j.officer_of_a(role=Role.STAFF).user, j.officer_of_a(role=Role.STAFF).user)

    url = reverse("agreements:cluster_update", args=[j.cluster.pk])
    v1, v2 = loaded_version(first.get(url)), loaded_version(second.get(url))
    base = {"name": j.cluster.name, "kind": j.cluster.kind, "agreement": j.agreement.pk}
    assert first.post(url, {**base, "description": "Ghi chú thứ nhất", "version": v1}).status_code == 302
    response = second.post(url, {**base, "description": "Ghi chú thứ hai", "version": v2})
    assert response.status_code == 200
    assert REFUSED in html_of(response) and "Ghi chú: Ghi chú thứ nhất" in html_of(response)
    assert response.context["form"]["description"].value() == "Ghi chú thứ hai"
    assert Cluster.objects.get(pk=j.cluster.pk).description == "Ghi chú thứ nhất"

    url = reverse("agreements:agreement_update", args=[j.agreement.pk])
    v1, v2 = loaded_version(first.get(url)), loaded_version(second.get(url))
    data = agreement_edit_data(j.agreement, summary="Tóm tắt thứ nhất", version=v1)
    assert first.post(url, data).status_code == 302
    response = second.post(url, {**data, "summary": "Tóm tắt thứ hai", "version": v2})
    assert response.status_code == 200
    assert REFUSED in html_of(response) and "Tóm tắt: Tóm tắt thứ nhất" in html_of(response)
    assert response.context["form"]["summary"].value() == "Tóm tắt thứ hai"
    assert Agreement.objects.get(pk=j.agreement.pk).summary == "Tóm tắt thứ nhất"


def test_a_change_made_outside_the_services_also_makes_an_open_edit_page_stale(j):
    incident = incident_of(j)
    # The admin and bulk updates do not go through the services; the database numbers them anyway.
    Incident.objects.filter(pk=incident.pk).update(outcome="Sửa trong trang quản trị")
    assert Incident.objects.get(pk=incident.pk).version == 2
    with pytest.raises(ValidationError) as refused:
        incident_services_update(j, incident, expected_version=1)
    assert REFUSED in " ".join(refused.value.messages)


def incident_services_update(j, incident, *, expected_version):
    from incidents import services as incident_services

    return incident_services.incident_update(
        actor=j.user, incident=incident, supporting_units=[], tips=[], patrols=[],
        expected_version=expected_version, place="Chỗ khác",
    )


def test_service_without_a_version_saves_and_numbers_the_write(j):
    patrol = log_patrol(j)
    assert patrol.version == 1
    patrol = patrol_services.patrol_update(
        actor=j.user, patrol=patrol, participations=[ParticipationData(j.unit_a, 5)], communes=[j.commune_a],
        findings="Không kiểm tra phiên bản",
    )
    assert patrol.version == Patrol.objects.get(pk=patrol.pk).version == 2
    cluster = agreement_services.cluster_update(actor=None, cluster=j.cluster, description="Nhiệm vụ")
    assert cluster.version == Cluster.objects.get(pk=cluster.pk).version == 2


@pytest.mark.django_db(transaction=True)
def test_two_transactions_saving_the_same_version_at_once_one_wins_one_is_refused(j):
    patrol = log_patrol(j)
    first_locked, release_first = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def edit(name: str, findings: str, hold: bool) -> None:
        try:
            with transaction.atomic():
                stale = Patrol.objects.get(pk=patrol.pk)  # loaded before the other commits
                patrol_services.patrol_update(
                    actor=j.user, patrol=stale, participations=[ParticipationData(j.unit_a, 4)],
                    communes=[j.commune_a], findings=findings, expected_version=1,
                )
                if hold:
                    first_locked.set()
                    release_first.wait(10)
            outcome[name] = "saved"
        except ValidationError as exc:
            outcome[name] = exc
        finally:
            connection.close()

    first = threading.Thread(target=edit, args=("first", "Người thứ nhất", True))
    first.start()
    assert first_locked.wait(10)
    # The second waits on the first's row lock, then finds version 2 and is refused.
    second = threading.Thread(target=edit, args=("second", "Người thứ hai", False))
    second.start()
    second.join(0.5)
    release_first.set()
    first.join(10)
    second.join(10)

    assert outcome["first"] == "saved"
    assert isinstance(outcome["second"], ValidationError)
    assert REFUSED in " ".join(outcome["second"].messages)
    stored = Patrol.objects.get(pk=patrol.pk)
    assert stored.findings == "Người thứ nhất" and stored.version == 2

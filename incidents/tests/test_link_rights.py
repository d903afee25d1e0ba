"""Linking a tip to an incident changes the incident: only those who may edit the incident link it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from incidents import services
from tests.helpers import error_beside, html_of, incident_of, tip_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_incident(j):
    """An incident led by side B, in the cluster: side A's officer sees it but may not edit it."""
    return incident_of(j, lead_unit=j.unit_b, commune=j.commune_b)


def test_the_sender_is_not_offered_an_incident_led_by_another_unit(client, j, b_incident):
    own = incident_of(j)
    tip = tip_of(j)
    client.force_login(j.user)

    page = client.get(tip.get_absolute_url())

    choices = [pk for pk, _label in page.context["link_form"].fields["incident"].choices if pk]
    assert choices == [own.pk]


def test_the_sender_cannot_post_a_link_to_an_incident_led_by_another_unit(client, j, b_incident):
    tip = tip_of(j)
    client.force_login(j.user)

    response = client.post(reverse("incidents:tip_link_incident", kwargs={"pk": tip.pk}), {"incident": b_incident.pk})

    assert response.status_code == 200
    assert error_beside(html_of(response), "incident", "Chỉ liên kết được vụ việc cùng quy chế do đơn vị bạn chủ trì.")
    assert not b_incident.tips.exists()


def test_the_service_refuses_a_link_to_an_incident_the_actor_may_not_edit(j, b_incident):
    tip = tip_of(j)

    with pytest.raises(PermissionDenied, match="^Chỉ đơn vị chủ trì vụ việc mới liên kết"):
        services.tip_link_incident(actor=j.user, tip=tip, incident=b_incident)
    assert not b_incident.tips.exists()

    services.tip_link_incident(actor=j.officer_of_b().user, tip=tip, incident=b_incident)
    assert list(b_incident.tips.all()) == [tip]

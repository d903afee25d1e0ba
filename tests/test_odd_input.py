"""Crafted input answers with a message or an empty result, never a server error.

``str.isdigit()`` accepts characters such as "²" that ``int()`` refuses: every number read from a
request is checked with ``isdecimal()``, which accepts exactly what ``int()`` reads.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from agreements.forms import ScopeChoices
from patrols.forms import PatrolForm
from patrols.models import Patrol
from tests.helpers import patrol_form_data

pytestmark = pytest.mark.django_db

ODD = "²"


def test_scope_value_with_a_non_decimal_digit_is_no_scope(j):
    assert ScopeChoices(j.user).resolve(f"c{ODD}") is None
    assert ScopeChoices(j.user).resolve(f"a{ODD}") is None


def test_patrol_form_refuses_non_decimal_scope_and_commune_beside_the_fields(j):
    form = PatrolForm(patrol_form_data(j, scope=f"c{ODD}"), user=j.user)
    assert form.errors["scope"] == ["Cụm hoặc quy chế đã chọn không còn trong phạm vi của bạn."]
    form = PatrolForm(patrol_form_data(j, communes=[ODD]), user=j.user)
    assert "communes" in form.errors


def test_patrol_page_answers_a_non_decimal_scope_with_the_form(client, j):
    client.force_login(j.user)
    response = client.post(reverse("patrols:patrol_create"), patrol_form_data(j, scope=f"c{ODD}"))
    assert response.status_code == 200
    assert not Patrol.objects.exists()


@pytest.mark.parametrize("url", [
    reverse("incidents:tip_create") + f"?quy_che={ODD}",
    reverse("incidents:incident_create") + f"?quy_che={ODD}",
    reverse("incidents:incident_create") + f"?tip={ODD}",
    reverse("agreements:cluster_list") + f"?quy_che={ODD}",
    reverse("agreements:adminunit_search") + f"?q={ODD}",
    reverse("agreements:adminunit_search") + "?q=99999999999999999999999",
])
def test_pages_read_non_decimal_numbers_as_no_number(client, j, url):
    client.force_login(j.user)
    assert client.get(url).status_code == 200

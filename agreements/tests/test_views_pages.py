"""What every page shares: Vietnamese pages without external resources, the login and lockout pages,
and the Vietnamese number, date and name formats of the templates.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.helpers import html_of

from .factories import OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_and_load_no_external_resources(client, j, staff):
    client.force_login(staff)
    for url in (
        reverse("agreements:agreement_list"),
        j.agreement.get_absolute_url(),
        reverse("agreements:agreement_create"),
        j.cluster.get_absolute_url(),
        reverse("agreements:cluster_member_add", kwargs={"pk": j.cluster.pk}),
    ):
        html = html_of(client.get(url))
        assert '<html lang="vi">' in html
        assert 'name="viewport"' in html
        assert "Phối hợp vùng giáp ranh" in html
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_login_page_and_lockout_page(client, settings):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in html_of(response)
    officer = OfficerFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": officer.user.username, "password": "sai-mat-khau"})
    assert response.status_code == 429
    html = html_of(response)
    assert "tạm khóa" in html
    assert "1 giờ" in html


def test_vietnamese_number_date_and_name_formats():
    user = UserFactory.build(first_name="Văn An", last_name="Nguyễn")
    rendered = Template(
        "{% load bz_tags %}{{ 1290|vn_number }}|{{ 88.6|vn_number:1 }}|{{ 6|two_digits }}|{{ user|person_name }}"
        "|{{ day|date:'SHORT_DATE_FORMAT' }}"
    ).render(Context({"user": user, "day": datetime.date(2023, 12, 28)}))
    assert rendered == "1.290|88,6|06|Nguyễn Văn An|28/12/2023"

import pytest
from django.db import connection
from django.urls import reverse
from pghistory.models import Events

from agreements.models import Agreement, Role
from agreements.tests.factories import OfficerFactory, jurisdiction

pytestmark = pytest.mark.django_db


def test_login_then_land_on_the_agreements(client):
    officer = OfficerFactory(role=Role.COMMANDER)
    response = client.post(
        reverse("login"), {"username": officer.user.username, "password": "matkhau-thu-nghiem"}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user == officer.user


def test_repeated_wrong_passwords_lock_the_account(client, settings):
    officer = OfficerFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": officer.user.username, "password": "sai"})
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(
        reverse("login"), {"username": officer.user.username, "password": "matkhau-thu-nghiem"}
    )
    assert response.status_code == 429


def test_wrong_password_message_is_vietnamese_and_keeps_username(client):
    officer = OfficerFactory()
    response = client.post(reverse("login"), {"username": officer.user.username, "password": "sai"})
    html = response.content.decode()
    assert response.status_code == 200
    assert officer.user.username in html
    assert "mật khẩu" in html.lower()


def test_raw_sql_update_is_audited_with_the_acting_user():
    import pghistory

    j = jurisdiction()
    with pghistory.context(user=j.user.pk), connection.cursor() as cursor:
        cursor.execute("UPDATE agreements_agreement SET title = %s WHERE id = %s", ["Sửa trực tiếp", j.agreement.pk])
    event = Events.objects.tracks(j.agreement).filter(pgh_label="update").get()
    assert event.pgh_diff["title"][1] == "Sửa trực tiếp"
    assert event.pgh_context["user"] == j.user.pk


def test_bulk_create_is_audited():
    before = Events.objects.filter(pgh_model="agreements.AgreementEvent").count()
    Agreement.objects.bulk_create([Agreement(title=f"Quy chế {i}") for i in range(3)])
    assert Events.objects.filter(pgh_model="agreements.AgreementEvent").count() == before + 3

import pytest

from agreements.tests.factories import jurisdiction

from .conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_on_a_phone_sees_his_cluster(phone):
    j = jurisdiction()
    login(phone, j.user.username)
    phone.goto(f"/cum/{j.cluster.pk}/")
    assert j.cluster.name in phone.inner_text("h1")
    assert j.commune_a.name in phone.content()
    # Nothing wider than the phone: a horizontal scrollbar makes one-handed use miserable.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "cluster-detail-phone")


def test_foreign_cluster_is_not_found(phone):
    j = jurisdiction()
    other = jurisdiction()
    login(phone, j.user.username)
    response = phone.goto(f"/cum/{other.cluster.pk}/")
    assert response.status == 404

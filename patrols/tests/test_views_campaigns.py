"""Campaigns and checkpoints: creating and listing them; and the patrol admin pages."""

import pytest
from django.urls import reverse

from agreements.models import Role
from agreements.tests.factories import CommuneFactory
from patrols.models import Campaign, Checkpoint
from tests.helpers import log_patrol

pytestmark = pytest.mark.django_db



# Campaigns and checkpoints -----------------------------------------------------------------------


def test_campaign_create_and_list(client, j):
    client.force_login(j.user)
    page = client.get(reverse("patrols:campaign_create"))
    assert page.status_code == 200
    assert j.unit_b.name in page.content.decode()
    data = {
        "scope": f"c{j.cluster.pk}",
        "name": "Đợt cao điểm tấn công trấn áp tội phạm Tết Quý Mão",
        "starts_on": "2023-01-05",
        "ends_on": "2023-02-15",
        "units": [j.unit_a.pk, j.unit_b.pk],
        "targets": "Triệt phá các tụ điểm đánh bạc",
    }
    response = client.post(reverse("patrols:campaign_create"), data, follow=True)
    campaign = Campaign.objects.get()
    assert campaign.cluster == j.cluster and campaign.agreement == j.agreement
    assert set(campaign.units.all()) == {j.unit_a, j.unit_b}
    html = response.content.decode()
    assert "Đã thêm đợt cao điểm" in html
    assert "05/01/2023 – 15/02/2023" in html
    # Bad dates: message beside the field, nothing saved.
    response = client.post(reverse("patrols:campaign_create"), {**data, "ends_on": "2023-01-01"})
    assert response.context["form"].errors["ends_on"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    assert Campaign.objects.count() == 1
    # The year filter.
    assert len(client.get(reverse("patrols:campaign_list"), {"nam": "2023"}).context["campaigns"]) == 1
    assert len(client.get(reverse("patrols:campaign_list"), {"nam": "2021"}).context["campaigns"]) == 0


def test_checkpoint_create_and_list(client, j):
    client.force_login(j.user)
    data = {
        "scope": f"c{j.cluster.pk}",
        "place": "Đường liên xã giáp ranh, thôn Đông",
        "commune": j.commune_a.pk,
        "purpose": "Kiểm soát vận chuyển khoáng sản trái phép",
        "starts_on": "2023-03-01",
        "units": [j.unit_a.pk],
    }
    response = client.post(reverse("patrols:checkpoint_create"), data, follow=True)
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.commune == j.commune_a
    html = response.content.decode()
    assert "Đã thêm chốt kiểm soát" in html and "Đường liên xã giáp ranh" in html
    # A commune of the party's area that is not in the cluster: the service's message beside the field.
    outsider = CommuneFactory(parent=j.unit_a.area, name="Xã Ngoài Cụm")
    response = client.post(reverse("patrols:checkpoint_create"), {**data, "commune": outsider.pk})
    assert response.context["form"].errors["commune"] == ["Xã Ngoài Cụm không thuộc cụm vào ngày 01/03/2023."]
    assert Checkpoint.objects.count() == 1


def test_admin_pages_render_for_administrators(client, j):
    patrol = log_patrol(j)
    admin_user = j.officer_of_a(Role.ADMINISTRATOR).user
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    for url in (
        reverse("admin:patrols_patrol_changelist"),
        reverse("admin:patrols_patrol_change", args=[patrol.pk]),
        reverse("admin:patrols_patrol_add"),
        reverse("admin:patrols_campaign_changelist"),
        reverse("admin:patrols_checkpoint_changelist"),
    ):
        assert client.get(url).status_code == 200, url

"""Import of the administrative geography, and the unit detail and search pages.

The whole country is imported once per module inside a transaction that is rolled back at the
end, so the 14 000 rows never reach other modules' tests (whose factories make their own units).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import geography
from agreements.models import AdministrativeSuccession, AdministrativeUnit, AdminLevel, Era

# Phường Ngọc Hà (Quận Ba Đình, Hà Nội) was split between Phường Ba Đình and Phường Ngọc Hà.
SPLIT_COMMUNE_CODE = 16


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock(), transaction.atomic():
        counts = geography.geography_import()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def officer_client(client, django_user_model):
    user = django_user_model.objects.create_user(username="canbo_diaban", password="matkhau-thu-nghiem")
    client.force_login(user)
    return client


def unit(era: str, level: str, code: int) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=era, level=level, code=code)


def level_counts() -> dict[tuple[str, str], int]:
    return {
        (era, level): AdministrativeUnit.objects.filter(era=era, level=level).count()
        for era in Era.values
        for level in AdminLevel.values
    }


EXPECTED_LEVEL_COUNTS = {
    (Era.CURRENT, AdminLevel.PROVINCE): 34,
    (Era.CURRENT, AdminLevel.DISTRICT): 0,
    (Era.CURRENT, AdminLevel.COMMUNE): 3321,
    (Era.LEGACY, AdminLevel.PROVINCE): 63,
    (Era.LEGACY, AdminLevel.DISTRICT): 696,
    (Era.LEGACY, AdminLevel.COMMUNE): 10051,
}


@pytest.mark.django_db
def test_import_loads_every_unit_of_both_eras(imported):
    assert level_counts() == EXPECTED_LEVEL_COUNTS
    assert imported[geography.CURRENT_PROVINCES] == 34
    assert imported[geography.CURRENT_COMMUNES] == 3321
    assert imported[geography.LEGACY_PROVINCES] == 63
    assert imported[geography.LEGACY_DISTRICTS] == 696
    assert imported[geography.LEGACY_COMMUNES] == 10051
    assert imported[geography.CREATED_UNITS] == 34 + 3321 + 63 + 696 + 10051
    assert imported[geography.SUCCESSIONS] == AdministrativeSuccession.objects.count() > 10000


@pytest.mark.django_db
def test_every_unit_hangs_under_the_right_parent(imported):
    units = AdministrativeUnit.objects
    assert not units.filter(level=AdminLevel.PROVINCE, parent__isnull=False).exists()
    assert (
        not units.filter(era=Era.CURRENT, level=AdminLevel.COMMUNE)
        .exclude(parent__era=Era.CURRENT, parent__level=AdminLevel.PROVINCE)
        .exists()
    )
    assert (
        not units.filter(era=Era.LEGACY, level=AdminLevel.DISTRICT)
        .exclude(parent__era=Era.LEGACY, parent__level=AdminLevel.PROVINCE)
        .exists()
    )
    assert (
        not units.filter(era=Era.LEGACY, level=AdminLevel.COMMUNE)
        .exclude(parent__era=Era.LEGACY, parent__level=AdminLevel.DISTRICT)
        .exists()
    )
    assert not AdministrativeSuccession.objects.exclude(
        old__era=Era.LEGACY, old__level=AdminLevel.COMMUNE, new__era=Era.CURRENT, new__level=AdminLevel.COMMUNE
    ).exists()


@pytest.mark.django_db
def test_second_import_writes_nothing(imported):
    before = level_counts()
    successions_before = AdministrativeSuccession.objects.count()

    with CaptureQueriesContext(connection) as queries:
        again = geography.geography_import()

    assert again[geography.CREATED_UNITS] == again[geography.UPDATED_UNITS] == 0
    assert again[geography.CREATED_SUCCESSIONS] == again[geography.UPDATED_SUCCESSIONS] == 0
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert level_counts() == before
    assert AdministrativeSuccession.objects.count() == successions_before
    assert {k: v for k, v in again.items() if not k.startswith(("created_", "updated_"))} == {
        k: v for k, v in imported.items() if not k.startswith(("created_", "updated_"))
    }


@pytest.mark.django_db
def test_import_repairs_a_changed_name_and_partly_flag(imported):
    district = unit(Era.LEGACY, AdminLevel.DISTRICT, 494)
    AdministrativeUnit.objects.filter(pk=district.pk).update(name="Tên sai")
    row = AdministrativeSuccession.objects.filter(old__code=SPLIT_COMMUNE_CODE, old__era=Era.LEGACY).first()
    AdministrativeSuccession.objects.filter(pk=row.pk).update(partly=not row.partly)

    again = geography.geography_import()

    assert again[geography.UPDATED_UNITS] == 1
    assert again[geography.UPDATED_SUCCESSIONS] == 1
    district.refresh_from_db()
    assert district.name == "Quận Ngũ Hành Sơn"
    row.refresh_from_db()
    assert row.partly is True


@pytest.mark.django_db
def test_split_legacy_commune_maps_to_several_current_communes(imported):
    old = unit(Era.LEGACY, AdminLevel.COMMUNE, SPLIT_COMMUNE_CODE)
    assert old.name == "Phường Ngọc Hà"
    rows = AdministrativeSuccession.objects.filter(old=old).select_related("new")
    assert {r.new.name for r in rows} == {"Phường Ba Đình", "Phường Ngọc Hà"}
    assert all(r.partly for r in rows)
    assert all(r.new.era == Era.CURRENT and r.new.parent.name == "Thành phố Hà Nội" for r in rows)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "district", "province", "communes"),
    [
        (494, "Quận Ngũ Hành Sơn", "Thành phố Đà Nẵng", []),
        (507, "Thị xã Điện Bàn", "Tỉnh Quảng Nam", []),
        (372, "Huyện Nho Quan", "Tỉnh Ninh Bình", ["Xã Phú Long", "Xã Kỳ Phú", "Xã Cúc Phương"]),
        # Xã Thành Vân is not in the package's last pre-2025 list (it had joined Thị trấn Vân Du).
        (391, "Huyện Thạch Thành", "Tỉnh Thanh Hóa", ["Xã Thành Công", "Xã Thành Minh", "Thị trấn Vân Du"]),
        (457, "Huyện Lệ Thủy", "Tỉnh Quảng Bình", []),
        (464, "Huyện Vĩnh Linh", "Tỉnh Quảng Trị", []),
        (557, "Thị xã Sông Cầu", "Tỉnh Phú Yên", []),
        (540, "Thành phố Quy Nhơn", "Tỉnh Bình Định", []),
    ],
)
def test_seed_places_exist_in_the_legacy_era(imported, code, district, province, communes):
    found = unit(Era.LEGACY, AdminLevel.DISTRICT, code)
    assert (found.name, found.parent.name) == (district, province)
    for name in communes:
        commune = AdministrativeUnit.objects.get(era=Era.LEGACY, level=AdminLevel.COMMUNE, parent=found, name=name)
        assert commune.successors.filter(era=Era.CURRENT).exists()


@pytest.mark.django_db
def test_detail_of_a_legacy_commune_shows_where_it_went(imported, officer_client):
    old = unit(Era.LEGACY, AdminLevel.COMMUNE, SPLIT_COMMUNE_CODE)

    response = officer_client.get(reverse("agreements:adminunit_detail", args=[old.pk]))

    assert response.status_code == 200
    assert [a.name for a in response.context["ancestors"]] == ["Thành phố Hà Nội", "Quận Ba Đình"]
    content = response.content.decode()
    assert "Nay thuộc" in content
    assert "Phường Ba Đình" in content
    assert content.count("một phần") == 2


@pytest.mark.django_db
def test_detail_of_a_current_commune_lists_its_predecessors(imported, officer_client):
    new = AdministrativeUnit.objects.get(era=Era.CURRENT, level=AdminLevel.COMMUNE, name="Phường Ba Đình")

    response = officer_client.get(new.get_absolute_url())

    content = response.content.decode()
    assert "Hình thành từ" in content
    assert "Phường Trúc Bạch" in content
    assert "Nay thuộc" not in content


@pytest.mark.django_db
def test_detail_of_a_province_pages_its_communes(imported, officer_client):
    thanh_hoa = AdministrativeUnit.objects.get(era=Era.CURRENT, level=AdminLevel.PROVINCE, name="Tỉnh Thanh Hóa")
    url = reverse("agreements:adminunit_detail", args=[thanh_hoa.pk])

    first = officer_client.get(url)
    last = officer_client.get(url, {"page": 4})

    assert first.context["children_page"].paginator.count == thanh_hoa.children.count() > 150
    assert len(first.context["children_page"]) == 50
    assert last.context["children_page"].number == 4


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_successions(imported, officer_client):
    def queries_for(unit: AdministrativeUnit) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(unit.get_absolute_url()).status_code == 200
        return len(queries)

    split = unit(Era.LEGACY, AdminLevel.COMMUNE, SPLIT_COMMUNE_CODE)
    whole = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=AdminLevel.COMMUNE, succession_rows__isnull=True)
    assert queries_for(split) == queries_for(whole.first())

    merged = AdministrativeUnit.objects.get(era=Era.CURRENT, level=AdminLevel.COMMUNE, name="Phường Ba Đình")
    single = (
        AdministrativeUnit.objects.filter(era=Era.CURRENT, level=AdminLevel.COMMUNE)
        .annotate(sources=Count("predecession_rows"))
        .filter(sources=1)
        .first()
    )
    assert merged.predecessors.count() > 3
    assert queries_for(merged) == queries_for(single)


@pytest.mark.django_db
def test_detail_requires_login(client):
    url = reverse("agreements:adminunit_detail", args=[1])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_detail_of_a_missing_unit_is_404(officer_client):
    assert officer_client.get(reverse("agreements:adminunit_detail", args=[987654321])).status_code == 404


@pytest.mark.django_db
def test_search_ignores_diacritics_and_filters_by_era(imported, officer_client):
    url = reverse("agreements:adminunit_search")

    everywhere = officer_client.get(url, {"q": "cuc phuong"})
    legacy_only = officer_client.get(url, {"q": "CÚC PHƯƠNG", "era": Era.LEGACY, "level": AdminLevel.COMMUNE})
    nothing = officer_client.get(url, {"q": ""})

    names = {(u.era, u.name) for u in everywhere.context["units"]}
    assert (Era.LEGACY, "Xã Cúc Phương") in names
    assert {u.era for u in legacy_only.context["units"]} == {Era.LEGACY}
    assert "Xã Cúc Phương" in legacy_only.content.decode()
    assert list(nothing.context["units"]) == []


@pytest.mark.django_db
def test_search_handles_d_stroke_and_decomposed_input(imported, officer_client):
    url = reverse("agreements:adminunit_search")

    plain = officer_client.get(url, {"q": "da nang", "level": AdminLevel.PROVINCE})
    decomposed = officer_client.get(url, {"q": "Đa\u0300 Nă\u0303ng", "level": AdminLevel.PROVINCE})

    assert {u.name for u in plain.context["units"]} == {"Thành phố Đà Nẵng"}
    assert {u.name for u in decomposed.context["units"]} == {"Thành phố Đà Nẵng"}


@pytest.mark.django_db
def test_search_requires_login(client):
    response = client.get(reverse("agreements:adminunit_search"), {"q": "ha noi"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))

"""The filters of the patrol, campaign and checkpoint lists, on their own: the options a user is
offered, what a bad value does (reported and left out, never a 500), and what reaches the selector.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.forms import agreement_label, commune_label
from agreements.models import Force, Role, Unit, UnitLevel
from agreements.tests.factories import (
    AgreementPartyFactory,
    ClusterFactory,
    ClusterMemberFactory,
    CommuneFactory,
    DistrictFactory,
    OfficerFactory,
)
from borderzone.periods import EARLIEST, LATEST, Period
from patrols.filters import PatrolFilterForm, RecordFilterForm

pytestmark = pytest.mark.django_db

D = datetime.date


def offered(form, name) -> list:
    """The values the select of ``name`` renders, the empty "Tất cả" left out."""
    return [value for value, _label in form.fields[name].widget.choices if value != ""]


def pks(objects) -> list[int]:
    return [o.pk for o in objects]


# The options ------------------------------------------------------------------------------------


def test_options_are_what_the_user_sees(j, other_j):
    form = PatrolFilterForm(user=j.user)

    assert list(form.fields["quy_che"].queryset) == [j.agreement]
    assert list(form.fields["cum"].queryset) == [j.cluster]
    assert {int(str(v)) for v in offered(form, "don_vi")} == {j.unit_a.pk, j.unit_b.pk}
    assert set(offered(form, "xa")) == {j.commune_a.pk, j.commune_b.pk}
    assert (j.commune_a.pk, commune_label(j.commune_a)) in form.fields["xa"].widget.choices
    assert [str(label) for _v, label in form.fields["quy_che"].widget.choices] == [
        "Tất cả", agreement_label(j.agreement)
    ]


def test_years_run_from_this_one_back_to_2010(j):
    this_year = datetime.date.today().year

    choices = PatrolFilterForm(user=j.user).fields["nam"].choices

    assert choices[0] == ("", "Tất cả các năm")
    assert choices[1] == (this_year, str(this_year))
    assert choices[-1] == (2010, "2010")


def test_any_commune_filters_though_only_the_clusters_are_offered(j, other_j):
    # A dashboard links to every commune its figures count; the list stays narrowed to the user's patrols.
    form = PatrolFilterForm({"xa": str(other_j.commune_a.pk)}, user=j.user)

    assert form.is_valid(), form.errors
    assert form.selector_kwargs()["commune_id"] == other_j.commune_a.pk
    assert other_j.commune_a.pk not in offered(form, "xa")


def test_a_district_is_no_commune_to_filter_by(j):
    form = PatrolFilterForm({"xa": str(j.unit_a.area_id)}, user=j.user)

    assert "xa" in form.errors
    assert form.selector_kwargs()["commune_id"] is None


# Invalid values ---------------------------------------------------------------------------------


def test_invalid_values_are_reported_and_left_out_of_the_filtering(j, other_j):
    form = PatrolFilterForm(
        {
            "nam": "1900",
            "quy_che": str(other_j.agreement.pk),
            "cum": str(j.cluster.pk),
            "don_vi": "abc",
            "trang_thai": "lost",
            "mo_hinh": " Tuyến biển bình yên ",
            "q": "  bến đò ",
        },
        user=j.user,
    )

    assert not form.is_valid()
    assert set(form.errors) == {"nam", "quy_che", "don_vi", "trang_thai"}
    assert form.selector_kwargs() == {
        "period": None,
        "agreement_id": None,
        "cluster_id": j.cluster.pk,
        "commune_id": None,
        "unit_id": None,
        "status": "",
        "programme": "Tuyến biển bình yên",
        "q": "bến đò",
    }


def test_an_unbound_form_filters_nothing(j):
    form = PatrolFilterForm(user=j.user)

    assert form.errors == {}
    assert form.selector_kwargs() == {
        "period": None, "agreement_id": None, "cluster_id": None, "commune_id": None, "unit_id": None,
        "status": "", "programme": "", "q": "",
    }
    assert not form.advanced_used


# The period -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "period"),
    [
        ({"nam": "2023"}, Period(D(2023, 1, 1), D(2024, 1, 1))),
        ({"tu_ngay": "2023-03-01"}, Period(D(2023, 3, 1), LATEST)),
        ({"den_ngay": "2023-03-31"}, Period(EARLIEST, D(2023, 4, 1))),
        ({"tu_ngay": "2023-03-01", "den_ngay": "2023-03-31"}, Period(D(2023, 3, 1), D(2023, 4, 1))),
        ({"tu_ngay": "2023-03-01", "den_ngay": "2023-03-01"}, Period(D(2023, 3, 1), D(2023, 3, 2))),
        ({"nam": "2023", "tu_ngay": "2023-03-01"}, Period(D(2023, 3, 1), D(2024, 1, 1))),
        ({}, None),
    ],
    ids=["year", "from", "to", "from-to", "one-day", "year-and-from", "nothing"],
)
def test_period_includes_both_days_typed(j, params, period):
    form = PatrolFilterForm(params, user=j.user)

    assert form.errors == {}
    assert form.period() == period
    assert form.selector_kwargs()["period"] == period


def test_an_inverted_range_is_refused_and_filters_no_dates(j):
    form = PatrolFilterForm({"tu_ngay": "2023-04-01", "den_ngay": "2023-03-01"}, user=j.user)

    assert form.errors == {"den_ngay": ["“Đến ngày” phải sau hoặc bằng “Từ ngày”."]}
    assert form.period() is None


def test_an_inverted_range_keeps_the_year(j):
    form = PatrolFilterForm({"nam": "2023", "tu_ngay": "2023-04-01", "den_ngay": "2023-03-01"}, user=j.user)

    assert form.period() == Period.year(2023)


def test_a_year_outside_the_list_and_a_bad_date_are_dropped_from_the_period(j):
    form = PatrolFilterForm({"nam": "2009", "tu_ngay": "01/13/2023", "den_ngay": "2023-03-31"}, user=j.user)

    assert set(form.errors) == {"nam", "tu_ngay"}
    assert form.period() == Period(EARLIEST, D(2023, 4, 1))


@pytest.mark.parametrize(
    ("params", "used"),
    [({"q": "bến đò"}, False), ({"trang_thai": "done"}, True), ({"mo_hinh": "Tuyến"}, True), ({"nam": ""}, False)],
)
def test_the_folded_panel_opens_when_one_of_its_filters_is_set(j, params, used):
    assert PatrolFilterForm(params, user=j.user).advanced_used is used


# Capped options ---------------------------------------------------------------------------------


@pytest.fixture
def crowded_admin(j):
    """An administrator facing more units than a select shows (400)."""
    district = DistrictFactory()
    Unit.objects.bulk_create(
        Unit(name=f"Đồn Công an số {n:03d}", force=Force.POLICE, level=UnitLevel.COMMUNE, area=district)
        for n in range(401)
    )
    return OfficerFactory(unit=j.unit_a, role=Role.ADMINISTRATOR).user


def test_a_national_list_of_units_is_capped_and_says_so(crowded_admin):
    form = PatrolFilterForm(user=crowded_admin)

    units = form.fields["don_vi"]
    assert len(units.widget.choices) == 1 + 400
    assert units.widget.choices[0] == ("", "Tất cả")
    assert units.help_text == "Chỉ hiện 400 lựa chọn đầu; chọn quy chế hoặc cụm để thu hẹp."


def test_a_selected_unit_beyond_the_cap_is_kept_and_filters(crowded_admin):
    shown = set(offered(PatrolFilterForm(user=crowded_admin), "don_vi"))
    hidden = Unit.objects.exclude(pk__in=shown).order_by("pk").first()

    form = PatrolFilterForm({"don_vi": str(hidden.pk)}, user=crowded_admin)

    assert offered(form, "don_vi")[-1] == hidden.pk
    assert len(form.fields["don_vi"].widget.choices) == 1 + 400 + 1
    assert form.selector_kwargs()["unit_id"] == hidden.pk


def test_a_selected_unit_within_the_cap_is_not_repeated(crowded_admin):
    first = offered(PatrolFilterForm(user=crowded_admin), "don_vi")[0]

    form = PatrolFilterForm({"don_vi": str(first)}, user=crowded_admin)

    assert len(form.fields["don_vi"].widget.choices) == 1 + 400


# The campaign and checkpoint lists -----------------------------------------------------------------


def test_record_filter_offers_the_users_agreements_and_reads_valid_values(j, other_j):
    form = RecordFilterForm({"nam": "2023", "quy_che": str(j.agreement.pk)}, user=j.user)

    assert list(form.fields["quy_che"].queryset) == [j.agreement]
    assert form.value("nam") == 2023
    assert form.value("quy_che") == j.agreement


def test_record_filter_leaves_out_an_agreement_the_user_does_not_see(j, other_j):
    form = RecordFilterForm({"nam": "2023", "quy_che": str(other_j.agreement.pk)}, user=j.user)

    assert "quy_che" in form.errors
    assert form.value("quy_che") is None
    assert form.value("nam") == 2023


def test_record_filter_without_year_ignores_a_posted_year(j):
    form = RecordFilterForm({"nam": "2023"}, user=j.user, with_year=False)

    assert list(form.fields) == ["quy_che"]
    assert form.value("nam") is None
    assert RecordFilterForm(user=j.user).value("quy_che") is None


# Queries ----------------------------------------------------------------------------------------


def grow(j, total: int) -> None:
    """Bring side A's officer to ``total`` agreements, each with a cluster of one commune and a partner."""
    have = j.unit_a.party_to.count()
    for _ in range(total - have):
        party = AgreementPartyFactory(unit=j.unit_a)
        AgreementPartyFactory(agreement=party.agreement)
        ClusterMemberFactory(cluster=ClusterFactory(agreement=party.agreement), responsible_party=party)
    CommuneFactory(parent=j.unit_a.area)


def queries_to_build(build, j) -> int:
    """Queries to build and render a filter form for a freshly loaded user (as on each request)."""
    user = get_user_model().objects.select_related("officer").get(pk=j.user.pk)
    with CaptureQueriesContext(connection) as queries:
        build(user).as_div()
    return len(queries)


@pytest.mark.parametrize(
    "build",
    [
        lambda user: PatrolFilterForm(user=user),
        lambda user: PatrolFilterForm({"nam": "2023", "q": "đò"}, user=user),
        lambda user: RecordFilterForm(user=user),
        lambda user: RecordFilterForm({"quy_che": "1"}, user=user, with_year=False),
    ],
    ids=["patrols", "patrols-filtered", "records", "records-no-year"],
)
def test_building_a_filter_form_costs_the_same_queries_for_5_or_50_agreements(j, build):
    grow(j, 5)
    few = queries_to_build(build, j)
    grow(j, 50)
    many = queries_to_build(build, j)

    assert len(offered(build(get_user_model().objects.get(pk=j.user.pk)), "quy_che")) == 50
    assert many == few

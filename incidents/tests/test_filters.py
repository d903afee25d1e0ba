"""The filters of the tip and incident lists, on their own: the options offered, the refusals a
user reads beside a field, and exactly what reaches the list's selector.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Role
from agreements.tests.factories import (
    AgreementPartyFactory,
    ClusterFactory,
    ClusterMemberFactory,
    CommuneFactory,
    OfficerFactory,
)
from borderzone.periods import EARLIEST, LATEST, Period
from incidents.filters import IncidentFilterForm, TipFilterForm
from incidents.models import IncidentCategory
from incidents.tests.factories import category
from tests.helpers import incident_of, tip_of

pytestmark = pytest.mark.django_db

D = datetime.date
BOTH_PERIODS = "Chọn theo năm hoặc theo khoảng ngày, không chọn cả hai."


def offered(form, name) -> set:
    return {int(str(value)) for value, _label in form.fields[name].widget.choices if value != ""}


# Options ----------------------------------------------------------------------------------------


def test_tip_filter_offers_what_the_user_sees_and_the_communes_of_his_tips(j, other_j):
    riverside = CommuneFactory(parent=j.unit_a.area)
    tip_of(j, cluster=None, commune=riverside)
    tip_of(other_j, commune=other_j.commune_a)

    form = TipFilterForm(user=j.user)

    assert offered(form, "quy_che") == {j.agreement.pk}
    assert offered(form, "cum") == {j.cluster.pk}
    assert offered(form, "xa") == {j.commune_a.pk, j.commune_b.pk, riverside.pk}
    assert offered(form, "don_vi_gui") == offered(form, "don_vi_nhan") == {j.unit_a.pk, j.unit_b.pk}


def test_incident_filter_offers_the_communes_of_the_users_incidents_but_not_an_administrators(j, other_j):
    riverside = CommuneFactory(parent=j.unit_a.area)
    incident_of(j, cluster=None, commune=riverside)
    admin = OfficerFactory(unit=j.unit_a, role=Role.ADMINISTRATOR).user

    mine = IncidentFilterForm(user=j.user)
    national = IncidentFilterForm(user=admin)

    assert offered(mine, "xa") == {j.commune_a.pk, j.commune_b.pk, riverside.pk}
    assert offered(mine, "thanh_vien_cum") == offered(mine, "cum") == {j.cluster.pk}
    assert offered(mine, "don_vi") == {j.unit_a.pk, j.unit_b.pk}
    # Looking up every record's commune is skipped for a national administrator (millions of rows).
    assert riverside.pk not in offered(national, "xa")
    assert {j.commune_a.pk, other_j.commune_a.pk} <= offered(national, "xa")


def test_category_groups_are_offered_once_each_in_order(j):
    groups = sorted(set(IncidentCategory.objects.values_list("group", flat=True)))

    choices = IncidentFilterForm(user=j.user).fields["nhom"].choices

    assert len(groups) > 1
    assert choices == [("", "Tất cả"), *((g, g) for g in groups)]


def test_a_cluster_the_user_does_not_see_is_refused_as_membership_filter(j, other_j):
    form = IncidentFilterForm({"thanh_vien_cum": str(other_j.cluster.pk), "nam": "2023"}, user=j.user)

    assert list(form.errors) == ["thanh_vien_cum"]
    assert form.selector_filters()["member_of_cluster_id"] is None
    assert form.selector_filters()["period"] == Period.year(2023)


# Tips: direction and units ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "own", "units"),
    [
        ({"huong": "gui"}, "A", ("A", None)),
        ({"huong": "nhan"}, "A", (None, "A")),
        ({"huong": "gui"}, None, (-1, None)),
        ({"huong": "nhan"}, None, (None, -1)),
        ({"don_vi_gui": "B"}, "A", ("B", None)),
        ({"huong": "nhan", "don_vi_gui": "B"}, "A", ("B", "A")),
    ],
    ids=["sent", "received", "sent-without-unit", "received-without-unit", "from-unit", "received-from-unit"],
)
def test_direction_stands_for_the_users_own_unit(j, params, own, units):
    ids = {"A": j.unit_a.pk, "B": j.unit_b.pk, None: None, -1: -1}
    data = {key: str(ids[value]) if value in ids else value for key, value in params.items()}

    form = TipFilterForm(data, user=j.user)
    filters = form.selector_filters(ids[own])

    assert form.errors == {}
    assert (filters["from_unit_id"], filters["to_unit_id"]) == (ids[units[0]], ids[units[1]])


@pytest.mark.parametrize(
    ("direction", "unit_field", "message", "key"),
    [
        ("gui", "don_vi_gui", "Đã chọn đơn vị cung cấp; bỏ chọn hướng hoặc đơn vị.", "from_unit_id"),
        ("nhan", "don_vi_nhan", "Đã chọn đơn vị tiếp nhận; bỏ chọn hướng hoặc đơn vị.", "to_unit_id"),
    ],
)
def test_a_direction_and_a_unit_on_the_same_side_are_refused_and_the_unit_kept(j, direction, unit_field, message, key):
    form = TipFilterForm({"huong": direction, unit_field: str(j.unit_b.pk)}, user=j.user)

    assert form.errors == {"huong": [message]}
    assert form.selector_filters(j.unit_a.pk)[key] == j.unit_b.pk


def test_tip_selector_filters_carry_every_valid_filter(j):
    form = TipFilterForm(
        {
            "q": "  đánh bạc ", "quy_che": str(j.agreement.pk), "cum": str(j.cluster.pk), "xa": str(j.commune_a.pk),
            "loai": str(category("danh-bac").pk), "nam": "2023", "trang_thai": "verifying", "phoi_hop": "1",
            "qua_han": "on", "don_vi_nhan": str(j.unit_b.pk),
        },
        user=j.user,
    )

    assert form.selector_filters(j.unit_a.pk) == {
        "period": Period.year(2023),
        "agreement_id": j.agreement.pk,
        "cluster_id": j.cluster.pk,
        "commune_id": j.commune_a.pk,
        "category_id": category("danh-bac").pk,
        "q": "đánh bạc",
        "status": "verifying",
        "from_unit_id": None,
        "to_unit_id": j.unit_b.pk,
        "overdue": True,
        "jointly_verified": True,
    }


@pytest.mark.parametrize(("value", "jointly"), [("1", True), ("0", False), ("", None)])
def test_yes_no_filter(j, value, jointly):
    filters = TipFilterForm({"phoi_hop": value, "q": "x"}, user=j.user).selector_filters(None)

    assert filters["jointly_verified"] is jointly
    assert filters["overdue"] is False


def test_an_unbound_form_filters_nothing(j):
    assert TipFilterForm(user=j.user).selector_filters(j.unit_a.pk) == {}
    assert IncidentFilterForm(user=j.user).selector_filters() == {}


# Periods --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("abc", "Nhập năm bằng số, ví dụ 2023."),
        ("1980", "Năm phải từ 1990 trở về sau."),
        ("2101", "Năm không được sau 2100."),
    ],
)
def test_an_invalid_year_says_why_and_filters_no_period(j, year, message):
    form = TipFilterForm({"nam": year, "q": "x"}, user=j.user)

    assert form.errors == {"nam": [message]}
    assert form.selector_filters(None)["period"] is None
    assert form.selector_filters(None)["q"] == "x"


@pytest.mark.parametrize("form_class", [TipFilterForm, IncidentFilterForm])
def test_a_year_and_a_date_range_are_refused_together_and_neither_applies(j, form_class):
    form = form_class({"nam": "2023", "tu_ngay": "2023-03-01", "cum": str(j.cluster.pk)}, user=j.user)
    filters = form.selector_filters(None) if form_class is TipFilterForm else form.selector_filters()

    assert form.errors == {"nam": [BOTH_PERIODS]}
    assert filters["period"] is None
    assert filters["cluster_id"] == j.cluster.pk


def test_an_inverted_range_is_refused_and_filters_no_period(j):
    form = IncidentFilterForm({"tu_ngay": "2023-04-01", "den_ngay": "2023-03-01"}, user=j.user)

    assert form.errors == {"den_ngay": ["“Đến ngày” phải bằng hoặc sau “Từ ngày”."]}
    assert form.selector_filters()["period"] is None


def test_an_open_range_runs_from_the_earliest_day(j):
    form = IncidentFilterForm({"den_ngay": "2023-03-31"}, user=j.user)

    assert form.selector_filters()["period"] == Period(EARLIEST, D(2023, 4, 1))


# Incidents ----------------------------------------------------------------------------------------


def test_the_solved_period_is_its_own_filter_beside_the_occurrence_period(j):
    form = IncidentFilterForm({"nam": "2023", "lam_ro_tu": "2024-01-01", "lam_ro_den": "2024-01-31"}, user=j.user)

    filters = form.selector_filters()

    assert form.errors == {}
    assert filters["period"] == Period.year(2023)
    assert filters["solved_period"] == Period(D(2024, 1, 1), D(2024, 2, 1))


def test_an_inverted_solved_period_is_refused_and_only_it_is_dropped(j):
    form = IncidentFilterForm({"nam": "2023", "lam_ro_tu": "2024-02-01", "lam_ro_den": "2024-01-01"}, user=j.user)

    filters = form.selector_filters()

    assert form.errors == {"lam_ro_den": ["“Làm rõ đến ngày” phải bằng hoặc sau “Làm rõ từ ngày”."]}
    assert filters["solved_period"] is None
    assert filters["period"] == Period.year(2023)


def test_incident_selector_filters_carry_every_valid_filter(j):
    group = category("trom-cap").group
    form = IncidentFilterForm(
        {
            "q": "xe máy", "xa": str(j.commune_b.pk), "nhom": group, "tinh_chat": "criminal", "trang_thai": "solved",
            "don_vi": str(j.unit_b.pk), "phoi_hop": "0", "thanh_vien_cum": str(j.cluster.pk), "lam_ro_tu": "2023-07-01",
        },
        user=j.user,
    )

    assert form.selector_filters() == {
        "period": None,
        "agreement_id": None,
        "cluster_id": None,
        "commune_id": j.commune_b.pk,
        "category_id": None,
        "q": "xe máy",
        "solved_period": Period(D(2023, 7, 1), LATEST),
        "category_group": group,
        "nature": "criminal",
        "status": "solved",
        "unit_id": j.unit_b.pk,
        "jointly_handled": False,
        "member_of_cluster_id": j.cluster.pk,
    }


@pytest.mark.parametrize(
    ("params", "active", "advanced"),
    [
        ({}, 0, 0),
        ({"q": "đò"}, 1, 0),
        ({"q": "đò", "nam": "2023", "phoi_hop": "", "trang": "2"}, 2, 1),
        ({"nam": "abc", "lam_ro_tu": "2023-01-01", "thanh_vien_cum": "1"}, 3, 3),
    ],
    ids=["nothing", "search-only", "blank-and-unknown-ignored", "invalid-ones-count"],
)
def test_filters_set_are_counted_for_the_badge_and_the_folded_panel(j, params, active, advanced):
    form = IncidentFilterForm(params or None, user=j.user)

    assert (form.active_count(), form.advanced_count()) == (active, advanced)


def test_tip_only_filters_count_too(j):
    form = TipFilterForm({"huong": "gui", "qua_han": "on", "q": "x"}, user=j.user)

    assert (form.active_count(), form.advanced_count()) == (3, 2)


# Queries ----------------------------------------------------------------------------------------


def grow(j, total: int) -> None:
    """Bring side A's officer to ``total`` agreements, each with a cluster of one commune and a partner."""
    for _ in range(total - j.unit_a.party_to.count()):
        party = AgreementPartyFactory(unit=j.unit_a)
        AgreementPartyFactory(agreement=party.agreement)
        ClusterMemberFactory(cluster=ClusterFactory(agreement=party.agreement), responsible_party=party)
    tip_of(j, cluster=None, commune=CommuneFactory(parent=j.unit_a.area))
    incident_of(j, cluster=None, commune=CommuneFactory(parent=j.unit_a.area))


@pytest.mark.parametrize(
    "build",
    [
        lambda user: TipFilterForm(user=user),
        lambda user: TipFilterForm({"huong": "gui", "nam": "2023"}, user=user),
        lambda user: IncidentFilterForm(user=user),
        lambda user: IncidentFilterForm({"nhom": "x", "lam_ro_tu": "2023-01-01"}, user=user),
    ],
    ids=["tips", "tips-filtered", "incidents", "incidents-filtered"],
)
def test_building_a_filter_form_costs_the_same_queries_for_5_or_50_agreements(j, build):
    def queries() -> int:
        user = get_user_model().objects.select_related("officer").get(pk=j.user.pk)
        with CaptureQueriesContext(connection) as captured:
            build(user).as_div()
        return len(captured)

    grow(j, 5)
    few = queries()
    grow(j, 50)
    many = queries()

    assert len(offered(build(get_user_model().objects.get(pk=j.user.pk)), "cum")) == 50
    assert many == few

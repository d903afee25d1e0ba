"""Dashboards: the figures are the statistics module's, and every figure opens the list of its records.

The demo data (``manage.py load_demo``) is loaded once per module inside a transaction rolled back
at the end. "Follow the link": the test client opens each figure's URL and reads the count the list
page itself prints (the patrol list's "N ca tuần tra, M lượt người", the tip and incident lists'
counter), which must equal the figure.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Sum
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Cluster, Role, Unit
from agreements.tests.factories import OfficerFactory, jurisdiction
from borderzone.periods import KIND_YEAR, Period, choose, picker_query
from demo import registry
from incidents.models import TipStatus
from incidents.tests.factories import IncidentFactory, TipFactory
from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory, local
from reports import dashboards
from reports.forms import PeriodForm
from reports.statistics import compute_figures

User = get_user_model()
Y2023 = Period.year(2023)
PATROL_TOTALS = re.compile(r'id="tong-so">\s*<strong>([\d.]+)</strong>[^<]*<strong>([\d.]+)</strong>')
LIST_COUNT = re.compile(r'class="bz-count">([\d.]+)<')


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def user(username: str):
    return User.objects.get(username=username)


def agreement_004() -> Agreement:
    return Agreement.objects.get(number=registry.NUMBER_004)


def number(text: str) -> int:
    return int(text.replace(".", ""))


def listed(client, url: str) -> dict:
    """Open a list page as the user would and read the count it prints (and the officers' sum for patrols)."""
    response = client.get(url)
    assert response.status_code == 200, url
    form = response.context["filter_form"]
    assert not form.errors, (url, form.errors)  # every filter of the link was applied
    html = response.content.decode()
    totals = PATROL_TOTALS.search(html)
    if totals:
        return {"count": number(totals[1]), "officers": number(totals[2]), "response": response}
    return {"count": number(LIST_COUNT.search(html)[1]), "response": response}


def dashboard(client, name: str, query: str = "", **kwargs):
    response = client.get(reverse(f"reports:{name}", kwargs=kwargs) + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return response


def check_every_link(client, response) -> int:
    """Each linked figure of the page equals the count of the list it opens. Returns how many were checked."""
    context = response.context
    head, checked = context["figures"]["headline"], 0
    for tile in context["tiles"]:
        if not tile.url:
            continue
        page = listed(client, tile.url)
        if tile.key == "person_participations":
            assert page["officers"] == head[tile.key]["value"], tile.key
        elif tile.key == "clearance_rate":
            assert page["count"] == head["solved_of_occurred"]["value"], tile.key
        elif tile.key == "suspects_dealt_with":
            # The list holds the incidents behind the figure; the figure is their suspects dealt with.
            records = page["response"].context["view"].object_list
            assert (records.aggregate(n=Sum("suspects_dealt_with"))["n"] or 0) == head[tile.key]["value"]
            assert page["count"] == head["incidents_occurred"]["value"]
        else:
            assert page["count"] == head[tile.key]["value"], tile.key
        checked += 1
    parts = context["parts"]
    for row in parts["categories"] + parts["communes"] + parts["months"]:
        if row["url"]:
            assert listed(client, row["url"])["count"] == row["count"], row
            checked += 1
    for row in parts["months"]:
        if row["patrols_url"]:
            page = listed(client, row["patrols_url"])
            assert (page["count"], page["officers"]) == (row["shifts"], row["participations"]), row
            checked += 1
    for step in parts["pipeline"]:
        if step["url"]:
            assert listed(client, step["url"])["count"] == step["count"], step
            checked += 1
    for row in context["coverage"]["rows"]:
        # The row's total counts a patrol once per commune it went through, as the list filtered by that commune.
        if row["url"]:
            assert listed(client, row["url"])["count"] == row["total"], row["name"]
            checked += 1
        for cell in row["cells"][:3]:
            if cell["url"]:
                assert listed(client, cell["url"])["count"] == cell["shifts"], (row["name"], cell)
                checked += 1
    return checked


# The figures are the statistics module's ----------------------------------------------------------


@pytest.mark.django_db
def test_004_tiles_show_the_statistics_figures(client, loaded):
    client.force_login(user("dienban.chihuy"))
    a = agreement_004()
    response = dashboard(client, "dashboard_agreement", "nam=2023", pk=a.pk)
    figures = compute_figures(agreement=a, period=Y2023, today=datetime.date.today())
    assert response.context["figures"]["headline"] == figures["headline"]
    tiles = {tile.key: tile for tile in response.context["tiles"]}
    assert tiles["patrol_shifts"].value == "215"  # "215 lượt"
    assert tiles["person_participations"].value == "1.290"  # "với 1.290 cán bộ chiến sĩ"
    assert tiles["tips_exchanged"].value == "66"
    assert tiles["tips_jointly_verified"].value == "44"  # "phối hợp kiểm tra, xác minh 44 tin"
    solved, occurred = figures["incidents"]["solved_of_occurred"], figures["incidents"]["occurred"]
    assert tiles["clearance_rate"].value.startswith(f"{solved}/{occurred} vụ")
    # 37 tips to the police from the military and the border guard, 29 from the police to the military.
    police = Unit.objects.get(name="Công an thị xã Điện Bàn")
    directions = response.context["parts"]["directions"]
    assert sum(r["count"] for r in directions if r["to_unit_id"] == police.pk) == 37
    assert sum(r["count"] for r in directions if r["from_unit_id"] == police.pk) == 29
    html = response.content.decode()
    assert "1.290" in html and "năm 2022" in html
    assert 'role="img"' in html and 'id="bang-theo-thang"' in html  # the chart and its table


@pytest.mark.django_db
def test_004_every_figure_opens_a_list_with_the_same_count(client, loaded):
    client.force_login(user("dienban.chihuy"))
    response = dashboard(client, "dashboard_agreement", "nam=2023", pk=agreement_004().pk)
    linked = {tile.key for tile in response.context["tiles"] if tile.url}
    # Every tile but overdue tips (a closed year: judged at its end, no list reproduces that) links.
    assert linked == {t.key for t in response.context["tiles"]} - {"tips_overdue"}
    assert check_every_link(client, response) > 30


@pytest.mark.django_db
def test_cluster_figures_count_incidents_by_membership_on_the_day(client, loaded):
    client.force_login(user("dienban.chihuy"))
    cluster = Cluster.objects.get(agreement=agreement_004())
    response = dashboard(client, "dashboard_cluster", "nam=2023", pk=cluster.pk)
    figures = compute_figures(agreement=cluster.agreement, cluster=cluster, period=Y2023)
    assert response.context["figures"]["headline"]["incidents_occurred"] == figures["headline"]["incidents_occurred"]
    assert "thanh_vien_cum" in next(t.url for t in response.context["tiles"] if t.key == "incidents_occurred")
    assert check_every_link(client, response) > 10


@pytest.mark.django_db
def test_unit_dashboard_aggregates_the_units_agreements(client, loaded):
    commander = user("dienban.chihuy")
    client.force_login(commander)
    response = dashboard(client, "dashboard_unit", "nam=2023")
    ids = response.context["scope"].agreement_ids
    assert set(ids) == set(Agreement.objects.visible_to(commander).values_list("pk", flat=True))
    head = response.context["figures"]["headline"]
    each = [compute_figures(agreement=a, period=Y2023)["headline"] for a in Agreement.objects.filter(pk__in=ids)]
    for key in ("incidents_occurred", "patrol_shifts", "person_participations", "tips_exchanged"):
        assert head[key]["value"] == sum(h[key]["value"] for h in each), key
    assert check_every_link(client, response) > 10


@pytest.mark.django_db
def test_running_year_links_overdue_tips(client, loaded):
    """The current year runs up to today; its overdue tips are those the list shows as overdue today."""
    commander = user("dienban.chihuy")
    a = agreement_004()
    today = datetime.date.today()
    TipFactory(agreement=a, from_unit=Unit.objects.get(name="Đồn Biên phòng Cửa Đại"),
               to_unit=commander.officer.unit, received_at=local(today.year, 1, 2, 8, 0),
               deadline=datetime.date(today.year, 1, 5), status=TipStatus.VERIFYING)
    client.force_login(commander)
    response = dashboard(client, "dashboard_agreement", pk=a.pk)
    assert response.context["chosen"].period.end == today + datetime.timedelta(days=1)
    tile = next(t for t in response.context["tiles"] if t.key == "tips_overdue")
    assert tile.value == "1" and tile.url and "qua_han=1" in tile.url
    # More overdue tips than a year earlier is bad news, fewer is good.
    assert tile.tone == ("bad" if tile.diff > 0 else "good" if tile.diff < 0 else "neutral")
    assert check_every_link(client, response) >= 7


# The period picker ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "period", "label"), [
    ("ky=quy&nam=2023&quy=2", Period.quarter(2023, 2), "quý II năm 2023"),
    ("ky=thang&nam=2023&thang=5", Period.month(2023, 5), "tháng 05 năm 2023"),
    ("ky=khoang&tu_ngay=2023-03-01&den_ngay=2023-06-15",
     Period(datetime.date(2023, 3, 1), datetime.date(2023, 6, 16)), "từ ngày 01/03/2023 đến ngày 15/06/2023"),
    ("tu_ngay=01/03/2023&den_ngay=15/06/2023",
     Period(datetime.date(2023, 3, 1), datetime.date(2023, 6, 16)), "từ ngày 01/03/2023 đến ngày 15/06/2023"),
])
def test_period_picker(client, loaded, query, period, label):
    client.force_login(user("dienban.chihuy"))
    a = agreement_004()
    response = dashboard(client, "dashboard_agreement", query, pk=a.pk)
    chosen = response.context["chosen"]
    assert chosen.period == period and chosen.label == label
    assert chosen.comparison == Period(period.start.replace(year=2022), period.end.replace(year=2022))
    assert response.context["figures"]["headline"] == compute_figures(agreement=a, period=period)["headline"]
    assert not response.context["period_errors"]
    check_every_link(client, response)


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "message"), [
    ("nam=abc", "Nhập năm bằng chữ số"),
    ("nam=1800", "Năm phải từ 1990"),
    ("ky=quy&nam=2023&quy=7", "Quý phải là 1, 2, 3 hoặc 4"),
    ("ky=thang&nam=2023&thang=13", "Tháng phải từ 1 đến 12"),
    ("ky=khoang&tu_ngay=2023-06-01&den_ngay=2023-01-01", "“Đến ngày” phải bằng hoặc sau “Từ ngày”"),
    ("ky=khoang&tu_ngay=2023-06-01", "Nhập “Đến ngày”"),
    ("ky=khoang&tu_ngay=31/02/2023&den_ngay=2023-06-01", "Ngày không hợp lệ"),
    ("ky=khoang&tu_ngay=2010-01-01&den_ngay=2023-06-01", "dài nhất là 5 năm"),
    ("ky=tuan", "Chọn xem theo năm, quý, tháng hoặc khoảng ngày"),
])
def test_invalid_period_gives_a_vietnamese_message_not_an_error(client, loaded, query, message):
    client.force_login(user("dienban.chihuy"))
    response = dashboard(client, "dashboard_agreement", query, pk=agreement_004().pk)
    assert any(message in text for text in response.context["period_errors"]), response.context["period_errors"]
    assert message in response.content.decode()
    assert response.context["chosen"].period.start == datetime.date(datetime.date.today().year, 1, 1)


# Jurisdiction, roles, landing page ------------------------------------------------------------------


@pytest.mark.django_db
def test_another_jurisdictions_dashboards_and_exports_are_not_found(client, loaded):
    a = agreement_004()
    cluster = Cluster.objects.get(agreement=a)
    police = Unit.objects.get(name="Công an thị xã Điện Bàn")
    client.force_login(user("songcau.chihuy"))
    urls = [
        reverse("reports:dashboard_agreement", kwargs={"pk": a.pk}),
        reverse("reports:dashboard_cluster", kwargs={"pk": cluster.pk}),
        reverse("reports:dashboard_unit", kwargs={"pk": police.pk}),
        reverse("reports:dashboard_agreement", kwargs={"pk": 999999}),
        *(reverse("reports:dashboard_export", kwargs={"kind": kind, "pk": pk}) + "?format=csv"
          for kind, pk in (("quy-che", a.pk), ("cum", cluster.pk), ("don-vi", police.pk), ("khac", 1)))
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    # The same pages open for a commander of a party.
    client.force_login(user("dienban.chihuy"))
    for url in urls[:3]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_landing_page_by_role(client, loaded):
    expected = {
        "dienban.chihuy": reverse("reports:dashboard_unit"),  # two agreements (000 and 004)
        "cuadai.chihuy": reverse("reports:dashboard_agreement", kwargs={"pk": agreement_004().pk}),
        "dienban.thammuu": reverse("reports:dashboard_unit"),
        "dienban.canbo": reverse("reports:dashboard_unit"),
        "admin": reverse("agreements:agreement_list"),
    }
    for username, url in expected.items():
        client.force_login(user(username))
        response = client.get(reverse("home"))
        assert (response.status_code, response["Location"]) == (302, url), username
        assert client.get(url).status_code == 200, username


@pytest.mark.django_db
def test_officer_gets_the_compact_view_of_his_unit(client, loaded):
    officer = user("dienban.canbo")
    client.force_login(officer)
    response = client.get(reverse("reports:dashboard_unit"))
    assert [t.name for t in response.templates][0] == "reports/dashboard_officer.html"
    context = response.context
    assert listed(client, context["patrols_month_url"])["count"] == context["patrols_month"]
    assert listed(client, context["incidents_month_url"])["count"] == context["incidents_month"]
    pending = client.get(reverse("patrols:patrol_pending"))
    assert pending.context["paginator"].count == context["pending_count"]
    inbox = client.get(reverse("incidents:tip_inbox"))
    assert 'id="o-tin-cho"' in response.content.decode()
    assert inbox.context["paginator"].count == context["bz_open_tip_count"]()
    # The full figures are one click away.
    full = client.get(reverse("reports:dashboard_unit") + "?day_du=1")
    names = [t.name for t in full.templates]
    assert "reports/dashboard.html" in names and "reports/dashboard_officer.html" not in names


@pytest.mark.django_db
def test_border_commander_sees_figures_but_no_link_to_tips_he_may_not_read(client, loaded):
    """A tip is read only by its two units: the station's list is shorter than the agreement's figure."""
    client.force_login(user("cuadai.chihuy"))
    response = dashboard(client, "dashboard_agreement", "nam=2023", pk=agreement_004().pk)
    tiles = {tile.key: tile for tile in response.context["tiles"]}
    assert tiles["tips_exchanged"].value == "66"
    assert tiles["tips_exchanged"].url is None and tiles["patrol_shifts"].url
    assert 'id="ghi-chu-lien-ket"' in response.content.decode()
    check_every_link(client, response)


# Query count ----------------------------------------------------------------------------------------


def _records(j: dict, n: int) -> None:
    a, unit, partner = j.agreement, j.unit_a, j.unit_b
    commune = j.commune_a
    for i in range(n):
        when = local(2023, 1 + i % 12, 1 + i % 27, 9, 0)
        IncidentFactory(agreement=a, commune=commune, lead_unit=unit, occurred_at=when)
        TipFactory(agreement=a, from_unit=unit, to_unit=partner, received_at=when,
                   deadline=datetime.date(2023, 12, 31))
        patrol = PatrolFactory(agreement=a, cluster=j.cluster, lead_unit=unit, started_at=when)
        patrol.communes.add(commune)
        PatrolParticipationFactory(patrol=patrol, unit=unit)


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_records(client):
    small, large = jurisdiction(), jurisdiction()
    _records(small, 5)
    _records(large, 50)
    counts = []
    for j in (small, large):
        commander = OfficerFactory(unit=j.unit_a, role=Role.COMMANDER).user
        client.force_login(commander)
        counts.append([
            _queries(client, reverse("reports:dashboard_agreement", kwargs={"pk": j.agreement.pk}) + "?nam=2023"),
            _queries(client, reverse("reports:dashboard_cluster", kwargs={"pk": j.cluster.pk}) + "?nam=2023"),
            _queries(client, reverse("reports:dashboard_unit") + "?nam=2023"),
        ])
    assert counts[0] == counts[1]
    # Served again from the cache, the page re-counts nothing.
    client.get(reverse("reports:dashboard_agreement", kwargs={"pk": large.agreement.pk}) + "?nam=2023")
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("reports:dashboard_agreement", kwargs={"pk": large.agreement.pk}) + "?nam=2023")
    assert len(ctx.captured_queries) < counts[1][0]


@pytest.mark.django_db
def test_a_new_record_shows_at_once(client):
    """Cached figures are dropped as soon as a record changes: the figure and its list stay equal."""
    j = jurisdiction()
    _records(j, 3)
    client.force_login(OfficerFactory(unit=j.unit_a, role=Role.COMMANDER).user)
    url = reverse("reports:dashboard_agreement", kwargs={"pk": j.agreement.pk}) + "?nam=2023"
    assert client.get(url).context["figures"]["headline"]["incidents_occurred"]["value"] == 3
    IncidentFactory(agreement=j.agreement, commune=j.commune_a, lead_unit=j.unit_a)
    assert client.get(url).context["figures"]["headline"]["incidents_occurred"]["value"] == 4


def test_period_form_defaults_and_running_periods():
    today = datetime.date(2026, 11, 21)
    chosen = PeriodForm(None, today=today).chosen()
    assert chosen.period == Period(datetime.date(2026, 1, 1), datetime.date(2026, 11, 22))
    assert chosen.comparison == Period(datetime.date(2025, 1, 1), datetime.date(2025, 11, 22))
    assert chosen.running and "đến ngày 21/11/2026" in chosen.label
    past = PeriodForm({"ky": "quy", "nam": "2025", "quy": "4"}, today=today).chosen()
    assert past.period == Period(datetime.date(2025, 10, 1), datetime.date(2026, 1, 1)) and not past.running
    month = PeriodForm({"ky": "thang"}, today=today).chosen()
    assert month.period == Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 22))


@pytest.mark.parametrize("query", [
    "ky=nam&nam=2023", "ky=quy&nam=2025&quy=4", "ky=thang&nam=2026&thang=11", "ky=nam&nam=2026",
    "ky=khoang&tu_ngay=2023-03-01&den_ngay=2023-06-15", "tu_ngay=01/03/2023&den_ngay=15/06/2023",
])
def test_the_picker_query_gives_the_same_choice_back(query):
    """What the exports and the links between dashboards carry (``picker_query``) reads back to the same choice."""
    today = datetime.date(2026, 11, 21)
    chosen = PeriodForm(QueryDict(query), today=today).chosen()
    again = PeriodForm(QueryDict(urlencode(picker_query(chosen))), today=today).chosen()
    assert again == chosen


@pytest.mark.django_db
def test_national_dashboard_is_a_snapshot_for_administrators(client):
    from incidents.models import Incident

    j = jurisdiction()
    _records(j, 3)
    client.force_login(OfficerFactory(unit=j.unit_a, role=Role.ADMINISTRATOR).user)
    response = client.get(reverse("reports:dashboard_unit") + "?nam=2023")
    assert response.context["scope"].national and response.context["snapshot"]
    assert 'id="tinh-den"' in response.content.decode()  # "Dữ liệu tính đến hh:mm dd/mm/yyyy"
    head = response.context["figures"]["headline"]
    assert head["incidents_occurred"]["value"] == Incident.objects.filter(
        occurred_at__gte=local(2023, 1, 1, 0, 0), occurred_at__lt=local(2024, 1, 1, 0, 0)).count()
    assert check_every_link(client, response) > 5
    assert dashboards.refresh_national_snapshot().snapshot


@pytest.mark.django_db
def test_beat_task_fills_the_national_snapshot():
    from django.core.cache import cache
    from django.utils import timezone

    from reports import dashboards, tasks

    cache.clear()
    today = timezone.localdate()
    scope = dashboards.Scope(kind=dashboards.SCOPE_UNIT, title="Toàn quốc", agreement_ids=None)
    key = dashboards.figures_key(scope, choose(KIND_YEAR, year=today.year, today=today), today)
    assert cache.get(key) is None
    tasks.refresh_national_dashboard.apply().get()
    assert cache.get(key) is not None

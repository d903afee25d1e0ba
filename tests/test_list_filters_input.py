"""A date no calendar period can hold (9999-12-31) or a NUL byte in a search box, read from a list's
query string, answers with a message beside the filter while the list still shows; it used to be a
server error (an OverflowError building the period, a DataError from PostgreSQL).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.helpers import error_beside, html_of, incident_of, log_patrol, tip_of

pytestmark = pytest.mark.django_db

TOO_LATE = "Ngày này quá xa: chỉ nhận đến ngày 31/12/2100."
TOO_EARLY = "Ngày này quá xa trong quá khứ: chỉ nhận từ ngày 01/01/1990."
BAD_SEARCH = "Ô tìm kiếm có ký tự không hợp lệ; hãy gõ lại."
DROPPED = "Ô tìm kiếm có ký tự không hợp lệ; đã bỏ ký tự đó khi tìm."


def shown_beside(html: str, field: str, message: str) -> bool:
    """``message`` is in the crispy block of ``field``, or right after the incident lists' hand-drawn search box."""
    if error_beside(html, field, message):
        return True
    start = html.find(f'name="{field}"')
    return start >= 0 and message in html[start : start + 1500]


@pytest.fixture
def records(j):
    """One patrol, tip and incident of side A, so each list has a row to show."""
    return {"patrol": log_patrol(j), "tip": tip_of(j), "incident": incident_of(j)}


@pytest.mark.parametrize("url_name", ["patrols:patrol_list", "incidents:tip_list", "incidents:incident_list"])
@pytest.mark.parametrize(("query", "field", "message"), [
    ("den_ngay=9999-12-31", "den_ngay", TOO_LATE),
    ("tu_ngay=2020-01-01&den_ngay=9999-12-31", "den_ngay", TOO_LATE),
    ("tu_ngay=0001-01-01", "tu_ngay", TOO_EARLY),
    ("q=a%00b", "q", BAD_SEARCH),
])
def test_record_lists_report_the_filter_and_still_list(client, j, records, url_name, query, field, message):
    client.force_login(j.user)
    response = client.get(f"{reverse(url_name)}?{query}")
    assert response.status_code == 200
    html = html_of(response)
    assert shown_beside(html, field, message)
    kind = url_name.split("_")[0].split(":")[1]
    assert records[kind].get_absolute_url() in html


def test_incident_list_reports_an_impossible_solved_date(client, j, records):
    client.force_login(j.user)
    response = client.get(reverse("incidents:incident_list") + "?lam_ro_den=9999-12-31")
    assert response.status_code == 200
    assert error_beside(html_of(response), "lam_ro_den", TOO_LATE)
    assert records["incident"].get_absolute_url() in html_of(response)


def test_patrol_list_reports_a_nul_in_the_programme_filter(client, j, records):
    client.force_login(j.user)
    response = client.get(reverse("patrols:patrol_list") + "?mo_hinh=a%00b")
    assert response.status_code == 200
    assert error_beside(html_of(response), "mo_hinh", BAD_SEARCH)


@pytest.mark.parametrize("url_name", ["agreements:agreement_list", "agreements:cluster_list"])
def test_registry_lists_drop_a_nul_from_the_search_and_say_so(client, j, url_name):
    client.force_login(j.user)
    response = client.get(reverse(url_name) + "?q=a%00b")
    assert response.status_code == 200
    html = html_of(response)
    assert DROPPED in html
    assert 'value="ab"' in html


def test_agreement_list_still_finds_with_the_rest_of_the_search(client, j):
    client.force_login(j.user)
    number = j.agreement.number
    response = client.get(reverse("agreements:agreement_list"), {"q": f"{number}\x00"})
    assert DROPPED in html_of(response)
    assert j.agreement.get_absolute_url() in html_of(response)


def test_geography_search_drops_a_nul_and_says_so(client, j):
    client.force_login(j.user)
    response = client.get(reverse("agreements:adminunit_search") + "?q=Th%E1%BB%AD%00")
    assert response.status_code == 200
    assert DROPPED in html_of(response)


@pytest.mark.parametrize("query", [
    "tu_ngay=2020-01-01&den_ngay=9999-12-31",
    "ky=khoang&tu_ngay=9999-12-25&den_ngay=9999-12-31",
    "ky=khoang&tu_ngay=0001-01-01&den_ngay=0001-01-05",
])
def test_dashboard_picker_reports_impossible_dates_and_shows_the_default_period(client, j, query):
    client.force_login(j.user)
    response = client.get(reverse("reports:dashboard_agreement", args=[j.agreement.pk]) + "?" + query)
    assert response.status_code == 200
    html = html_of(response)
    assert TOO_LATE in html or TOO_EARLY in html


@pytest.mark.parametrize("kind", ["quy-che", "cum"])
def test_dashboard_export_answers_impossible_dates_without_a_server_error(client, j, kind):
    client.force_login(j.user)
    pk = j.agreement.pk if kind == "quy-che" else j.cluster.pk
    url = reverse("reports:dashboard_export", args=[kind, pk])
    for query in ("ky=khoang&tu_ngay=9999-12-25&den_ngay=9999-12-31", "q=a%00b"):
        assert client.get(f"{url}?{query}").status_code < 500


@pytest.mark.parametrize("url_name", [
    "patrols:patrol_pending", "patrols:campaign_list", "patrols:checkpoint_list", "incidents:tip_inbox",
    "reports:report_list", "reports:dashboard_unit",
])
def test_other_lists_answer_crafted_dates_and_nul_without_a_server_error(client, j, staff, url_name):
    client.force_login(staff if url_name == "reports:report_list" else j.user)
    for query in ("den_ngay=9999-12-31", "tu_ngay=0001-01-01", "q=a%00b", "nam=9999"):
        assert client.get(f"{reverse(url_name)}?{query}").status_code == 200

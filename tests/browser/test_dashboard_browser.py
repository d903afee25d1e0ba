"""A commander logs in, lands on his agreement's dashboard, clicks a figure and finds the list with the same count."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import Role
from agreements.tests.factories import OfficerFactory
from incidents.tests.factories import IncidentFactory, TipFactory
from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory

from .conftest import PHONE, login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def count(text: str) -> int:
    return int(text.strip().split()[0].replace(".", ""))


@pytest.fixture
def dashboard_commander(j):
    """Side A's commander, after a few hours of his unit's incidents, patrols and a tip."""
    unit, partner = j.unit_a, j.unit_b
    now = timezone.now()
    for hours in range(1, 8):
        IncidentFactory(agreement=j.agreement, commune=j.commune_a, lead_unit=unit,
                        occurred_at=now - datetime.timedelta(hours=hours))
    for hours in (2, 5, 9):
        patrol = PatrolFactory(agreement=j.agreement, cluster=j.cluster, lead_unit=unit,
                               started_at=now - datetime.timedelta(hours=hours), officer_total=7)
        patrol.communes.add(j.commune_a)
        PatrolParticipationFactory(patrol=patrol, unit=unit, officers=4)
        PatrolParticipationFactory(patrol=patrol, unit=partner, officers=3)
    TipFactory(agreement=j.agreement, from_unit=partner, to_unit=unit,
               received_at=now - datetime.timedelta(hours=3), deadline=timezone.localdate())
    return OfficerFactory(unit=unit, role=Role.COMMANDER, user__first_name="Văn Hùng", user__last_name="Nguyễn").user


def test_commander_lands_on_the_dashboard_and_a_figure_opens_its_list(desktop, j, dashboard_commander):
    login(desktop, dashboard_commander.username)
    assert "/bang-dieu-khien/quy-che/" in desktop.url, desktop.url
    assert j.agreement.title in desktop.inner_text("#tieu-de")
    shot(desktop, "dashboard-01-commander-landing")

    # Incidents of this year: the tile's number is a link to the incident list, which counts the same.
    tile = desktop.locator("#o-incidents_occurred .bz-tile-link")
    figure = count(tile.inner_text())
    assert figure == 7
    tile.click()
    desktop.wait_for_load_state("networkidle")
    assert "/vu-viec/" in desktop.url
    assert count(desktop.inner_text(".bz-count")) == figure
    shot(desktop, "dashboard-02-incident-list-from-figure")

    # Patrol shifts and person-participations: the patrol list prints both.
    desktop.go_back()
    desktop.wait_for_load_state("networkidle")
    shifts = count(desktop.locator("#o-patrol_shifts .bz-tile-link").inner_text())
    people = count(desktop.locator("#o-person_participations .bz-tile-link").inner_text())
    assert (shifts, people) == (3, 21)
    desktop.locator("#o-patrol_shifts .bz-tile-link").click()
    desktop.wait_for_load_state("networkidle")
    totals = desktop.locator("#tong-so strong")
    assert (count(totals.nth(0).inner_text()), count(totals.nth(1).inner_text())) == (shifts, people)
    shot(desktop, "dashboard-03-patrol-list-from-figure")


def test_dashboard_on_a_phone_and_the_quarter_picker(phone, dashboard_commander):
    login(phone, dashboard_commander.username)
    assert "/bang-dieu-khien/" in phone.url
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(phone, "dashboard-04-phone")
    quarter = (timezone.localdate().month - 1) // 3 + 1
    phone.select_option("select[name=ky]", "quy")
    phone.fill("input[name=nam]", str(timezone.localdate().year))
    phone.select_option("select[name=quy]", str(quarter))
    phone.get_by_role("button", name="Xem số liệu").click()
    phone.wait_for_load_state("networkidle")
    assert "quý" in phone.inner_text("#ky-dang-xem").lower()
    assert count(phone.locator("#o-incidents_occurred .bz-tile-link").inner_text()) == 7
    # Invalid input: a Vietnamese message, the page still works.
    phone.goto(phone.url.split("?")[0] + "?ky=thang&nam=2023&thang=13")
    assert "Tháng phải từ 1 đến 12" in phone.inner_text("#loi-ky")
    shot(phone, "dashboard-05-phone-invalid-period")

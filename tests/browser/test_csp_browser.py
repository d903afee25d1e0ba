"""The pages work in Chromium under the strict Content-Security-Policy, and the browser reports no violation.

Every page script is a file of static/js/ (an inline one would be refused), so the behaviours they drive
are exercised here: the patrol form's htmx redraw and its "add a unit" row, the agreement form's party
rows, the report form's period switch, and a dashboard with its SVG charts. Violations are caught twice:
the page's `securitypolicyviolation` events, and Chromium's console messages about the policies.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Role
from incidents.tests.factories import IncidentFactory
from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory

from .conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)

# Runs in every document before its own scripts (Playwright injects it; the page's CSP does not apply).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.bzCspViolation(event.violatedDirective + " " + event.blockedURI + " " + event.sourceFile);
});
"""
POLICY_MESSAGE = re.compile(r"Content.Security.Policy|Permissions.Policy|Refused to", re.IGNORECASE)


class Violations:
    """What the browser reported about the policies, page by page."""

    def __init__(self, page) -> None:
        self.events: list[str] = []
        self.console: list[str] = []
        page.context.expose_function("bzCspViolation", self._event)
        page.context.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)

    def _event(self, text: str) -> None:
        self.events.append(text)

    def _console(self, message) -> None:
        if POLICY_MESSAGE.search(message.text):
            self.console.append(f"{message.type}: {message.text}")

    def all(self) -> list[str]:
        return self.events + self.console


def sign_in_as(page, username: str) -> None:
    # The login page of a signed-in user has the logout button first: start from no session instead.
    page.context.clear_cookies()
    login(page, username)


def goto(page, url: str) -> None:
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, url
    assert urlsplit(page.url).path == url, page.url
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_main_pages_work_under_the_policy_without_a_violation(desktop, j):
    page = desktop
    violations = Violations(page)
    staff = j.officer_of_a(Role.STAFF).user
    commander = j.officer_of_a(Role.COMMANDER).user
    patrol = PatrolFactory(agreement=j.agreement, cluster=j.cluster, lead_unit=j.unit_a)
    patrol.communes.add(j.commune_a)
    PatrolParticipationFactory(patrol=patrol, unit=j.unit_a, officers=4)
    for hours in (2, 30, 80):  # this year's incidents, so the dashboard draws its bar charts too
        IncidentFactory(agreement=j.agreement, cluster=j.cluster, commune=j.commune_a, lead_unit=j.unit_a,
                        occurred_at=timezone.now() - datetime.timedelta(hours=hours))

    # The patrol form: htmx redraws the communes when the place changes; a unit row is added.
    login(page, j.user.username)
    goto(page, reverse("patrols:patrol_create"))
    page.select_option("#id_scope", f"a{j.agreement.pk}")
    page.wait_for_selector("text=Các xã, phường thuộc địa bàn của các bên ký quy chế.")
    page.select_option("#id_scope", f"c{j.cluster.pk}")
    page.wait_for_selector("text=Các xã, phường thành viên của")
    rows = page.locator(".bz-part-row").count()
    page.get_by_role("button", name="Thêm đơn vị").click()
    assert page.locator(".bz-part-row").count() == rows + 1
    assert page.input_value("#id_don_vi-TOTAL_FORMS") == str(rows + 1)
    assert page.evaluate("document.activeElement.id") == f"id_don_vi-{rows}-unit"
    shot(page, "csp-01-patrol-form")

    # The agreement form: a party row is added, and a ticked "drop this party" greys its row out.
    sign_in_as(page, staff.username)
    goto(page, reverse("agreements:agreement_update", kwargs={"pk": j.agreement.pk}))
    parties = page.locator(".bz-party-row").count()
    page.get_by_role("button", name="Thêm một bên").click()
    assert page.locator(".bz-party-row").count() == parties + 1
    assert page.input_value("#id_parties-TOTAL_FORMS") == str(parties + 1)
    page.check("#id_parties-0-DELETE")
    assert "bz-deleted" in page.locator(".bz-party-row").first.get_attribute("class")
    page.uncheck("#id_parties-0-DELETE")
    assert "bz-deleted" not in page.locator(".bz-party-row").first.get_attribute("class")
    shot(page, "csp-02-agreement-form")

    # The report form: the year for a year, the two dates for a custom period.
    goto(page, reverse("reports:report_create"))
    assert page.is_visible("#id_year") and not page.is_visible("#id_period_start")
    page.check("input[name=period_kind][value=custom]")
    assert page.is_visible("#id_period_start") and not page.is_visible("#id_year")
    page.check("input[name=period_kind][value=year]")
    assert page.is_visible("#id_year")
    shot(page, "csp-03-report-form")

    # A dashboard with its charts (SVG drawn on the server).
    sign_in_as(page, commander.username)
    goto(page, reverse("reports:dashboard_agreement", kwargs={"pk": j.agreement.pk}))
    assert page.locator("svg").count() >= 2
    shot(page, "csp-04-dashboard")

    assert violations.all() == []

    # The listener works: an inline script put into the page is refused and reported.
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.bzRan = true;";
        document.body.appendChild(script);
    }""")
    page.wait_for_timeout(300)
    assert page.evaluate("window.bzRan") is None
    assert any(v.startswith("script-src") for v in violations.events), violations.all()

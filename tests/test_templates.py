"""Page CSS lives in static files, so a Content-Security-Policy can forbid inline styles.

Every template (outside the PDF's, which WeasyPrint renders with its print stylesheet inline and no
browser ever sees) is free of <style> blocks and style= attributes; the pages that need their own
rules link a stylesheet that the app serves, and what they render carries no inline style either
(this also catches HTML built in Python, such as the dashboard's charts).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from incidents.models import IncidentStatus
from incidents.tests.factories import IncidentFactory, TipFactory
from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory, local
from reports import services
from reports.models import ReportKind

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PDF_TEMPLATES = TEMPLATES / "reports" / "pdf"
# A style element, or a style attribute on any tag (list-style: and friends in CSS do not match).
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def project_templates() -> list[Path]:
    return sorted(
        path for path in TEMPLATES.rglob("*")
        if path.is_file() and PDF_TEMPLATES not in path.parents
    )


# The Content-Security-Policy allows scripts from the app's files only: a <script> element must have a
# src, and no tag may carry an event handler attribute (onclick=...) or a javascript: URL.
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*?\s(?:data-)?(?:hx-)?on[a-z:-]*\s*=|javascript:", re.IGNORECASE)


def inline_styles(text: str) -> list[str]:
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in INLINE_STYLE.finditer(text)]


def inline_scripts(text: str) -> list[str]:
    found = [m.group() for m in SCRIPT_TAG.finditer(text) if not re.search(r"\ssrc\s*=", m.group(), re.IGNORECASE)]
    found += [text[max(0, m.start() - 40) : m.end() + 40] for m in INLINE_HANDLER.finditer(text)]
    return found


def test_the_walk_sees_the_templates():
    names = {path.relative_to(TEMPLATES).as_posix() for path in project_templates()}
    assert {"base.html", "reports/dashboard.html", "incidents/incident_list.html"} <= names
    assert not any(name.startswith("reports/pdf/") for name in names)


def test_no_template_outside_the_pdf_carries_inline_style():
    offenders = {
        path.relative_to(TEMPLATES).as_posix(): found
        for path in project_templates()
        if (found := inline_styles(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_catches_both_forms():
    assert inline_styles('<style>\n.a { color: red; }\n</style>')
    assert inline_styles('<div class="x" style="max-height: 28rem">')
    assert inline_styles("<td STYLE = 'width: 40%'>")
    assert not inline_styles('<ul class="list-unstyled">')
    assert not inline_styles(".bz-timeline { list-style: none; }")


def test_no_template_outside_the_pdf_carries_inline_script():
    offenders = {
        path.relative_to(TEMPLATES).as_posix(): found
        for path in project_templates()
        if (found := inline_scripts(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_script_check_catches_inline_code_and_handlers():
    assert inline_scripts("<script>\nalert(1);\n</script>")
    assert inline_scripts('<script type="module">import "x";</script>')
    assert inline_scripts('<button type="button" onclick="add()">')
    assert inline_scripts("<select name=a ONCHANGE = 'this.form.submit()'>")
    assert inline_scripts('<a href="javascript:void(0)">')
    assert inline_scripts('<form hx-on:htmx:after-request="this.reset()">')
    assert not inline_scripts('<script src="/static/js/formset.js" defer></script>')
    assert not inline_scripts('<form method="post" action="/x/" hx-trigger="change from:#id_scope">')
    assert not inline_scripts('<button data-bz-add-row="rows">Thêm một bên</button>')


# The pages link their stylesheets ----------------------------------------------------------------


@dataclass(frozen=True)
class Pages:
    """Who visits the styled pages, and the report page they open."""

    user: object
    commander: object
    staff: object
    agreement: object
    report: object


@pytest.fixture
def world(j, commander, staff) -> Pages:
    unit, partner = j.unit_a, j.unit_b
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    for hour in (1, 4, 7):
        IncidentFactory(agreement=j.agreement, cluster=j.cluster, commune=j.commune_a,
                        lead_unit=unit, occurred_at=local(yesterday.year, yesterday.month, yesterday.day, hour))
    for month in (3, 6, 9):
        IncidentFactory(agreement=j.agreement, cluster=j.cluster, commune=j.commune_a,
                        lead_unit=unit, occurred_at=local(2023, month, 5, 21), status=IncidentStatus.SOLVED,
                        solved_at=local(2023, month, 9, 9))
    patrol = PatrolFactory(agreement=j.agreement, cluster=j.cluster, lead_unit=unit,
                           started_at=local(yesterday.year, yesterday.month, yesterday.day, 2))
    patrol.communes.add(j.commune_a)
    PatrolParticipationFactory(patrol=patrol, unit=unit, officers=4)
    PatrolParticipationFactory(patrol=patrol, unit=partner, officers=3)
    TipFactory(agreement=j.agreement, from_unit=partner, to_unit=unit,
               received_at=local(yesterday.year, yesterday.month, yesterday.day, 3), deadline=yesterday)
    report = services.report_create(
        actor=staff, agreement=j.agreement, kind=ReportKind.INTERIM,
        period_start=datetime.date(2023, 1, 1), period_end=datetime.date(2024, 1, 1),
        comparison_start=datetime.date(2022, 1, 1), comparison_end=datetime.date(2023, 1, 1),
        situation="Năm 2023, tình hình cơ bản ổn định.", document_number="05/BC-CAH",
        issuing_unit="Công an huyện Thử Nghiệm", signatory_name="Trần Văn Ký",
    )
    return Pages(user=j.user, commander=commander, staff=staff, agreement=j.agreement, report=report)


PAGES = [
    # (who, url name, url kwargs from the world, the page's own stylesheet)
    ("commander", "reports:dashboard_agreement", lambda w: {"pk": w.agreement.pk}, "css/dashboard.css"),
    ("commander", "reports:dashboard_unit", lambda w: {}, "css/dashboard.css"),
    ("user", "reports:dashboard_unit", lambda w: {}, "css/dashboard.css"),  # an officer's own dashboard
    ("user", "incidents:incident_list", lambda w: {}, "css/incidents.css"),
    ("user", "incidents:incident_create", lambda w: {}, "css/incidents.css"),
    ("user", "incidents:tip_inbox", lambda w: {}, "css/incidents.css"),
    ("user", "patrols:patrol_list", lambda w: {}, "css/patrols.css"),
    ("user", "patrols:patrol_create", lambda w: {}, "css/patrols.css"),
    ("staff", "reports:report_detail", lambda w: {"pk": w.report.pk}, "css/report.css"),
]


@pytest.mark.parametrize(("who", "name", "kwargs", "stylesheet"), PAGES,
                         ids=[f"{name}-{who}" for who, name, _kwargs, _css in PAGES])
def test_page_links_its_stylesheet_and_renders_no_inline_style(client, world, who, name, kwargs, stylesheet):
    client.force_login(getattr(world, who))
    response = client.get(reverse(name, kwargs=kwargs(world)))
    assert response.status_code == 200
    html = response.content.decode()
    for href in (static("css/app.css"), static(stylesheet)):
        assert f'<link rel="stylesheet" href="{href}">' in html, href
    assert inline_styles(html) == []
    assert inline_scripts(html) == []


@pytest.mark.parametrize(("stylesheet", "selector"), [
    ("css/app.css", ".bz-navbar"),
    ("css/dashboard.css", ".bz-tile"),
    ("css/incidents.css", ".bz-timeline"),
    ("css/patrols.css", ".bz-touch"),
    ("css/report.css", ".bz-figures"),
])
def test_stylesheets_are_served(client, stylesheet, selector):
    response = client.get(static(stylesheet))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert selector in body.decode()

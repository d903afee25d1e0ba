"""Role × unit × every URL from the resolver.

Every named URL must appear in ``TARGETS``; a new URL makes ``test_every_url_is_classified`` fail
until it is classified, so nothing ships outside the matrix.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements.models import Role
from agreements.tests.factories import (
    BoardMemberFactory,
    CommuneFactory,
    MobileTeamMemberFactory,
    UserFactory,
)
from incidents.tests.factories import IncidentFactory, TipFactory
from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory
from reports.models import ReportVersion, ReviewReport, VersionStatus

# name → (what the URL kwargs point at, right needed). "public": no login needed; "login": any
# authenticated user, not tied to a jurisdiction (reference data).
TARGETS: dict[str, tuple[str, str]] = {
    "home": ("none", "read"),
    "login": ("none", "public"),
    "logout": ("none", "login"),
    "password_change": ("none", "login"),
    "password_change_done": ("none", "login"),
    "agreements:agreement_list": ("none", "read"),
    "agreements:agreement_create": ("none", "manage"),
    "agreements:agreement_detail": ("agreement", "read"),
    "agreements:agreement_update": ("agreement", "manage"),
    "agreements:agreement_document": ("agreement", "read"),
    "agreements:cluster_list": ("none", "read"),
    "agreements:cluster_create": ("agreement_pk", "manage"),
    "agreements:cluster_detail": ("cluster", "read"),
    "agreements:cluster_update": ("cluster", "manage"),
    "agreements:cluster_member_add": ("cluster", "manage"),
    "agreements:cluster_member_update": ("member", "manage"),
    "agreements:cluster_member_delete": ("member", "manage"),
    "agreements:board_member_add": ("cluster", "manage"),
    "agreements:board_member_delete": ("board_member", "manage"),
    "agreements:mobile_team_update": ("cluster", "manage"),
    "agreements:mobile_team_member_add": ("cluster", "manage"),
    "agreements:mobile_team_member_delete": ("team_member", "manage"),
    "agreements:adminunit_detail": ("adminunit", "login"),
    "agreements:adminunit_search": ("none", "login"),
    # Tips and incidents. "record": writes a field record, needs an officer's unit (or administrator);
    # "receive": only the tip's receiving unit acts; "lead": only the incident's lead unit edits (in
    # ``world`` that is the inside users' own unit, so they may). POST_ONLY URLs answer GET with 405.
    "incidents:tip_list": ("none", "read"),
    "incidents:tip_inbox": ("none", "read"),
    "incidents:tip_create": ("none", "record"),
    "incidents:tip_detail": ("tip", "read"),
    "incidents:tip_acknowledge": ("tip", "receive"),
    "incidents:tip_status": ("tip", "receive"),
    "incidents:tip_link_incident": ("tip", "read"),
    "incidents:incident_list": ("none", "read"),
    "incidents:incident_create": ("none", "record"),
    "incidents:incident_detail": ("incident", "read"),
    "incidents:incident_update": ("incident", "lead"),
    "incidents:incident_status": ("incident", "lead"),
    # Patrols, campaigns, checkpoints. "partner": only a participating unit other than the lead
    # confirms (in ``world`` the inside users' unit leads the patrol, so only the administrator may).
    "patrols:patrol_list": ("none", "read"),
    "patrols:patrol_create": ("none", "record"),
    "patrols:patrol_pending": ("none", "read"),
    "patrols:patrol_detail": ("patrol", "read"),
    "patrols:patrol_update": ("patrol", "lead"),
    "patrols:patrol_confirm": ("patrol", "partner"),
    "patrols:campaign_list": ("none", "read"),
    "patrols:campaign_create": ("none", "record"),
    "patrols:checkpoint_list": ("none", "read"),
    "patrols:checkpoint_create": ("none", "record"),
    # Review reports. "review": commanders, staff and administrators read them; officers (and users
    # without a unit) are refused with 403 — after the jurisdiction check, so outside is still 404.
    "reports:report_list": ("none", "review"),
    "reports:report_create": ("none", "manage"),
    "reports:report_detail": ("report", "review"),
    "reports:report_update": ("report", "manage"),
    "reports:report_request_pdf": ("report", "manage"),
    "reports:report_version_status": ("version", "review"),
    "reports:report_version_download": ("version", "review"),
    "reports:report_version_retry": ("version", "manage"),
    # Dashboards and their exports: read-only views of a scope ("unit": the inside users' unit).
    "reports:dashboard_agreement": ("agreement", "read"),
    "reports:dashboard_cluster": ("cluster", "read"),
    "reports:dashboard_unit": ("unit", "read"),
    "reports:dashboard_export": ("export", "read"),
}
POST_ONLY = {
    "incidents:tip_acknowledge", "incidents:tip_status", "incidents:tip_link_incident", "incidents:incident_status",
    "reports:report_request_pdf", "reports:report_version_retry",
}


def _named_patterns(resolver=None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django admin has its own gate; see test_admin_is_for_administrators_only.
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_named_patterns(entry, ns))
        elif entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def test_every_url_is_classified():
    names = {name for name, _ in _named_patterns()}
    assert names - set(TARGETS) == set(), "classify the new URLs in TARGETS"
    assert set(TARGETS) - names == set(), "TARGETS lists URLs that no longer exist"


@dataclass(frozen=True)
class World:
    users: dict  # USER_KEYS → the user (None: anonymous)
    kwargs: dict  # a target of TARGETS → the URL kwargs naming it


@pytest.fixture
def world(j, other_j, commander, staff) -> World:
    """The inside users work for ``j``'s side A; the outside ones for ``other_j``."""
    j.agreement.document.save("quy-che.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    board = BoardMemberFactory(cluster=j.cluster, unit=j.unit_a)
    team_member = MobileTeamMemberFactory(team__cluster=j.cluster, unit=j.unit_a, commune=j.commune_a)
    unit = j.unit_a
    # A tip from the inside users' unit to the partner (both ends readable by them), an incident their
    # unit leads, and a tip between the partner and a third party of the same agreement: only its two
    # ends (and administrators) may see that one.
    tip = TipFactory(agreement=j.agreement, cluster=j.cluster, from_unit=unit, to_unit=j.unit_b)
    incident = IncidentFactory(agreement=j.agreement, cluster=j.cluster, commune=j.commune_a, lead_unit=unit)
    third = j.third_party()
    tip_others = TipFactory(agreement=j.agreement, from_unit=j.unit_b, to_unit=third.unit)
    # A cluster patrol the inside users' unit led with the partner.
    patrol = PatrolFactory(agreement=j.agreement, cluster=j.cluster, lead_unit=unit)
    PatrolParticipationFactory(patrol=patrol, unit=unit)
    PatrolParticipationFactory(patrol=patrol, unit=j.unit_b)
    # A review report of the agreement with one generated version holding a PDF.
    report = ReviewReport.objects.create(
        agreement=j.agreement, period_start=datetime.date(2023, 1, 1), period_end=datetime.date(2024, 1, 1)
    )
    version = ReportVersion.objects.create(report=report, number=1, status=VersionStatus.READY)
    version.pdf.save("bao-cao.pdf", ContentFile(b"%PDF-1.7 demo"), save=True)
    users = {
        "anonymous": None,
        "officer": j.user,
        "commander": commander,
        "staff": staff,
        "administrator": other_j.officer_of_a(Role.ADMINISTRATOR).user,
        "other_officer": other_j.user,
        "other_staff": other_j.officer_of_b(Role.STAFF).user,
        "other_commander": other_j.officer_of_b(Role.COMMANDER).user,
        "no_unit": UserFactory(),
    }
    kwargs = {
        "none": {},
        "agreement": {"pk": j.agreement.pk},
        "agreement_pk": {"agreement_pk": j.agreement.pk},
        "cluster": {"pk": j.cluster.pk},
        "member": {"pk": j.member_a.pk},
        "board_member": {"pk": board.pk},
        "team_member": {"pk": team_member.pk},
        "adminunit": {"pk": CommuneFactory().pk},
        "tip": {"pk": tip.pk},
        "incident": {"pk": incident.pk},
        "tip_others": {"pk": tip_others.pk},
        "patrol": {"pk": patrol.pk},
        "report": {"pk": report.pk},
        "version": {"pk": version.pk},
        "unit": {"pk": unit.pk},
        "export": {"kind": "quy-che", "pk": j.agreement.pk},
    }
    return World(users=users, kwargs=kwargs)


def expected_status(user_key: str, target: str, right: str) -> int:
    if right == "public":
        return 200
    if user_key == "anonymous":
        return 302
    if right == "login":
        return 200
    if right == "record" and user_key == "no_unit":
        return 403  # field records are written for a unit
    if right == "review" and target == "none" and user_key in ("officer", "other_officer", "no_unit"):
        return 403  # reports are for commanders, staff and administrators
    scoped = target not in ("none",)
    inside = user_key in ("officer", "commander", "staff", "administrator")
    if scoped and not inside:
        return 404  # another jurisdiction's record answers exactly like a missing one
    if right == "manage" and user_key not in ("staff", "administrator", "other_staff"):
        return 403
    if right == "review" and user_key == "officer":
        return 403
    if right == "partner" and user_key != "administrator":
        return 403  # the inside users' unit led the patrol; the lead does not confirm its own
    return 200


USER_KEYS = [
    "anonymous", "officer", "commander", "staff", "administrator", "other_officer", "other_staff",
    "other_commander", "no_unit",
]


@pytest.mark.parametrize("user_key", USER_KEYS)
def test_get_matrix(client, world, user_key):
    user = world.users[user_key]
    if user is not None:
        client.force_login(user)
    failures = []
    for name, target_right in sorted(TARGETS.items()):
        target, right = target_right
        if name == "logout":
            continue  # GET is not allowed on logout (Django 5); covered by test_logout_needs_post
        url = reverse(name, kwargs=world.kwargs[target])
        response = client.get(url)
        status = response.status_code
        want = expected_status(user_key, target, right)
        if name in POST_ONLY and want == 200:
            want = 405
        if name == "home" and status == 302 and want == 200:
            status = client.get(response["Location"]).status_code
        if status != want:
            failures.append(f"{name} {url}: {status} != {want}")
        if want == 302 and not response["Location"].startswith(reverse("login")):
            failures.append(f"{name}: anonymous redirected to {response['Location']}")
    assert failures == []


@pytest.mark.parametrize("user_key", ["other_officer", "other_staff", "other_commander", "no_unit"])
def test_post_outside_jurisdiction_is_404_and_changes_nothing(client, world, user_key):
    from pghistory.models import Events

    client.force_login(world.users[user_key])
    before = Events.objects.count()
    for name, (target, _right) in TARGETS.items():
        if target in ("none", "adminunit"):
            continue
        response = client.post(reverse(name, kwargs=world.kwargs[target]), {"name": "x", "title": "x"})
        assert response.status_code == 404, name
    assert Events.objects.count() == before


@pytest.mark.parametrize("user_key", ["officer", "commander"])
def test_post_without_the_right_is_403_and_changes_nothing(client, world, user_key):
    from pghistory.models import Events

    client.force_login(world.users[user_key])
    before = Events.objects.count()
    for name, (target, right) in TARGETS.items():
        if right not in ("manage", "receive", "partner"):  # the inside users sent the tip, led the patrol
            continue
        response = client.post(reverse(name, kwargs=world.kwargs[target]), {"name": "x", "title": "x"})
        assert response.status_code == 403, name
    assert Events.objects.count() == before


@pytest.mark.parametrize("user_key", USER_KEYS)
def test_tip_between_two_other_units_is_not_found(client, world, user_key):
    """Tips name informants: a party to the same agreement does not see a tip between two others."""
    from pghistory.models import Events

    user = world.users[user_key]
    if user is not None:
        client.force_login(user)
    before = Events.objects.count()
    for name, (target, _right) in TARGETS.items():
        if target != "tip":
            continue
        url = reverse(name, kwargs=world.kwargs["tip_others"])
        if user_key == "anonymous":
            want = 302
        elif user_key == "administrator":
            want = 405 if name in POST_ONLY else 200
        else:
            want = 404
        assert client.get(url).status_code == want, name
        if user_key not in ("anonymous", "administrator"):
            assert client.post(url, {"status": "verifying"}).status_code == 404, name
    assert Events.objects.count() == before


def test_lists_do_not_show_other_jurisdictions(client, j, other_j, world):
    client.force_login(world.users["officer"])
    for name in ("agreements:agreement_list", "agreements:cluster_list"):
        html = client.get(reverse(name)).content.decode()
        assert other_j.agreement.title not in html
        assert other_j.cluster.name not in html
    assert j.agreement.title in client.get(reverse("agreements:agreement_list")).content.decode()


def test_logout_needs_post(client, world):
    client.force_login(world.users["officer"])
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def test_admin_is_for_administrators_only(client, world):
    url = reverse("admin:agreements_agreement_changelist")
    for key in ("officer", "commander", "staff"):
        client.force_login(world.users[key])
        assert client.get(url).status_code == 302
    client.force_login(world.users["administrator"])
    assert client.get(url).status_code == 200

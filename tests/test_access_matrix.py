"""Role × unit × every URL from the resolver.

Every named URL must appear in ``TARGETS``; a new URL makes ``test_every_url_is_classified`` fail
until it is classified, so nothing ships outside the matrix.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements.models import Role
from agreements.tests.factories import (
    BoardMemberFactory,
    CommuneFactory,
    MobileTeamMemberFactory,
    OfficerFactory,
    UserFactory,
    jurisdiction,
)

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


@pytest.fixture
def world(db):
    own = jurisdiction()
    other = jurisdiction()
    own["agreement"].document.save("quy-che.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    board = BoardMemberFactory(cluster=own["cluster"], unit=own["party_a"].unit)
    team_member = MobileTeamMemberFactory(
        team__cluster=own["cluster"], unit=own["party_a"].unit, commune=own["member_a"].commune
    )
    unit = own["party_a"].unit
    users = {
        "anonymous": None,
        "officer": own["user"],
        "commander": OfficerFactory(unit=unit, role=Role.COMMANDER).user,
        "staff": OfficerFactory(unit=unit, role=Role.STAFF).user,
        "administrator": OfficerFactory(unit=other["party_a"].unit, role=Role.ADMINISTRATOR).user,
        "other_officer": other["user"],
        "other_staff": OfficerFactory(unit=other["party_b"].unit, role=Role.STAFF).user,
        "other_commander": OfficerFactory(unit=other["party_b"].unit, role=Role.COMMANDER).user,
        "no_unit": UserFactory(),
    }
    kwargs = {
        "none": {},
        "agreement": {"pk": own["agreement"].pk},
        "agreement_pk": {"agreement_pk": own["agreement"].pk},
        "cluster": {"pk": own["cluster"].pk},
        "member": {"pk": own["member_a"].pk},
        "board_member": {"pk": board.pk},
        "team_member": {"pk": team_member.pk},
        "adminunit": {"pk": CommuneFactory().pk},
    }
    return {"users": users, "kwargs": kwargs, "own": own}


def expected_status(user_key: str, target: str, right: str) -> int:
    if right == "public":
        return 200
    if user_key == "anonymous":
        return 302
    if right == "login":
        return 200
    scoped = target not in ("none",)
    inside = user_key in ("officer", "commander", "staff", "administrator")
    if scoped and not inside:
        return 404  # another jurisdiction's record answers exactly like a missing one
    if right == "manage" and user_key not in ("staff", "administrator", "other_staff"):
        return 403
    return 200


USER_KEYS = [
    "anonymous", "officer", "commander", "staff", "administrator", "other_officer", "other_staff",
    "other_commander", "no_unit",
]


@pytest.mark.parametrize("user_key", USER_KEYS)
def test_get_matrix(client, world, user_key):
    user = world["users"][user_key]
    if user is not None:
        client.force_login(user)
    failures = []
    for name, target_right in sorted(TARGETS.items()):
        target, right = target_right
        if name == "logout":
            continue  # GET is not allowed on logout (Django 5); covered by test_logout_needs_post
        url = reverse(name, kwargs=world["kwargs"][target])
        response = client.get(url)
        status = response.status_code
        want = expected_status(user_key, target, right)
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

    client.force_login(world["users"][user_key])
    before = Events.objects.count()
    for name, (target, _right) in TARGETS.items():
        if target in ("none", "adminunit"):
            continue
        response = client.post(reverse(name, kwargs=world["kwargs"][target]), {"name": "x", "title": "x"})
        assert response.status_code == 404, name
    assert Events.objects.count() == before


@pytest.mark.parametrize("user_key", ["officer", "commander"])
def test_post_without_the_right_is_403_and_changes_nothing(client, world, user_key):
    from pghistory.models import Events

    client.force_login(world["users"][user_key])
    before = Events.objects.count()
    for name, (target, right) in TARGETS.items():
        if right != "manage":
            continue
        response = client.post(reverse(name, kwargs=world["kwargs"][target]), {"name": "x", "title": "x"})
        assert response.status_code == 403, name
    assert Events.objects.count() == before


def test_lists_do_not_show_other_jurisdictions(client, world):
    other = jurisdiction()
    client.force_login(world["users"]["officer"])
    for name in ("agreements:agreement_list", "agreements:cluster_list"):
        html = client.get(reverse(name)).content.decode()
        assert other["agreement"].title not in html
        assert other["cluster"].name not in html
    assert world["own"]["agreement"].title in client.get(reverse("agreements:agreement_list")).content.decode()


def test_logout_needs_post(client, world):
    client.force_login(world["users"]["officer"])
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def test_admin_is_for_administrators_only(client, world):
    url = reverse("admin:agreements_agreement_changelist")
    for key in ("officer", "commander", "staff"):
        client.force_login(world["users"][key])
        assert client.get(url).status_code == 302
    client.force_login(world["users"]["administrator"])
    assert client.get(url).status_code == 200

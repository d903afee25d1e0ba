"""The demo data of the five seed reports (``manage.py load_demo``, registry part).

The command (geography import included) runs once per module inside a transaction that is rolled
back at the end, so neither the country's geography nor the demo rows reach other modules' tests.
"""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementStatus,
    Cluster,
    ClusterKind,
    Force,
    LegalBasis,
    Officer,
    SelfManagementModel,
    Unit,
)
from demo import registry
from demo.registry_loader import load_registry_demo

User = get_user_model()


def agreement(number: str) -> Agreement:
    return Agreement.objects.get(number=number)


def all_counts() -> dict[str, int]:
    """Row counts of every model of the registry and of auth, so any duplicate shows up."""
    models = [*apps.get_app_config("agreements").get_models(), User]
    return {model._meta.label: model.objects.count() for model in models}


@pytest.mark.django_db
def test_command_reports_what_it_created(demo_loaded):
    assert "Đã tạo mới:" in demo_loaded
    assert "6 quy chế phối hợp" in demo_loaded
    assert f"{len(registry.DEMO_ACCOUNTS)} tài khoản" in demo_loaded


@pytest.mark.django_db
def test_seed_002_cluster_has_three_communes_per_side(demo_loaded):
    cluster = Cluster.objects.get(name=registry.CLUSTER_002)
    assert cluster.kind == ClusterKind.SAFE
    assert cluster.agreement.number == registry.NUMBER_002
    members = list(cluster.members.select_related("commune__parent", "responsible_party__unit"))
    assert len({m.commune_id for m in members}) == 6
    sides = Counter(m.commune.parent.name for m in members)
    assert sides == {"Huyện Nho Quan": 3, "Huyện Thạch Thành": 3}
    # Each commune is the responsibility of its own commune police, a party of the agreement.
    for member in members:
        assert member.responsible_party.unit.area_id == member.commune_id
        assert str(member.valid_from) == "2019-08-08"


@pytest.mark.django_db
def test_seed_002_mobile_team_has_eighteen_members_three_per_commune(demo_loaded):
    team = Cluster.objects.get(name=registry.CLUSTER_002).mobile_team
    assert team.name == registry.MOBILE_TEAM_002
    members = list(team.members.select_related("unit"))
    assert len(members) == 18
    assert set(Counter(m.commune_id for m in members).values()) == {3}
    assert all(m.unit.area_id == m.commune_id for m in members)


@pytest.mark.django_db
def test_seed_002_agreement_structure_parties_and_board(demo_loaded):
    a = agreement(registry.NUMBER_002)
    assert (a.chapter_count, a.article_count) == (6, 22)
    assert a.chapters.count() == 6
    assert sum(c.articles.count() for c in a.chapters.all()) == 22
    assert a.signed_on.isoformat() == "2019-08-08"
    assert a.signed_at == "UBND xã Phú Long, huyện Nho Quan, tỉnh Ninh Bình"
    assert a.coordination_areas.count() == 5
    assert a.parties.count() == 8  # two district police and the six commune police that signed
    board = Cluster.objects.get(name=registry.CLUSTER_002).board_members.all()
    assert Counter(b.board_role for b in board) == {"head": 1, "deputy": 1, "member": 6}


@pytest.mark.django_db
def test_seed_003_linked_cluster_with_board_and_models(demo_loaded):
    cluster = Cluster.objects.get(name=registry.CLUSTER_003)
    assert cluster.kind == ClusterKind.LINKED
    assert {m.commune.parent.name for m in cluster.members.select_related("commune__parent")} == {
        "Huyện Lệ Thủy",
        "Huyện Vĩnh Linh",
    }
    assert cluster.board_members.filter(board_role="head").count() == 1
    kinds = set(cluster.self_management_models.values_list("kind", flat=True))
    assert {"crime_club", "safe_cluster", "other"} <= kinds


@pytest.mark.django_db
def test_seed_004_three_forces_139_models_and_the_decree(demo_loaded):
    a = agreement(registry.NUMBER_004)
    forces = set(a.parties.values_list("unit__force", flat=True))
    assert forces == {Force.MILITARY, Force.POLICE, Force.BORDER_GUARD}
    assert a.parties.count() == 3
    assert SelfManagementModel.objects.filter(agreement=a).count() == 139
    decree = a.legal_bases.get()
    assert decree.number == "03/2019/NĐ-CP"
    assert decree.issued_on.isoformat() == "2019-09-05"
    assert LegalBasis.objects.filter(number="03/2019/NĐ-CP").count() == 1
    # Spread over the town's communes and wards, all within Thị xã Điện Bàn.
    parents = set(SelfManagementModel.objects.filter(agreement=a).values_list("commune__parent__name", flat=True))
    assert parents == {"Thị xã Điện Bàn"}


@pytest.mark.django_db
def test_seed_000_new_agreement_supersedes_the_old_one(demo_loaded):
    old, new = agreement(registry.NUMBER_000_OLD), agreement(registry.NUMBER_000_NEW)
    assert new.supersedes == old
    assert old.status == AgreementStatus.SUPERSEDED
    assert new.supersedes_chain_ids() == [old.pk]
    assert old.effective_to < new.effective_from
    assert set(new.parties.values_list("unit__name", flat=True)) == {
        "Công an quận Ngũ Hành Sơn",
        "Công an thị xã Điện Bàn",
    }


@pytest.mark.django_db
def test_district_police_end_with_march_2025_and_keep_their_history(demo_loaded):
    nho_quan = Unit.objects.get(name="Công an huyện Nho Quan")
    assert nho_quan.valid_to.isoformat() == "2025-02-28"
    assert nho_quan.successor.name == "Công an tỉnh Ninh Bình"
    assert nho_quan.area.era == "legacy"
    assert not Unit.objects.current(on=nho_quan.valid_to.replace(day=1, month=3)).filter(pk=nho_quan.pk).exists()
    assert Agreement.objects.filter(number__in=registry.DEMO_AGREEMENT_NUMBERS).count() == 6


@pytest.mark.django_db
def test_every_demo_account_exists_with_its_role(demo_loaded):
    for account in registry.DEMO_ACCOUNTS:
        officer = Officer.objects.select_related("user", "unit").get(user__username=account.username)
        assert officer.role == account.role
        assert officer.user.check_password(registry.DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert Officer.objects.get(user__username="phulong.canbo").unit.name == "Công an xã Phú Long"


@pytest.mark.django_db
def test_nhoquan_officer_sees_the_002_agreement_but_not_the_004_one(demo_loaded):
    user = User.objects.get(username="nhoquan.canbo")
    visible = Agreement.objects.visible_to(user)
    assert visible.filter(number=registry.NUMBER_002).exists()
    assert not visible.filter(number=registry.NUMBER_004).exists()
    commune_user = User.objects.get(username="phulong.canbo")
    assert Agreement.objects.visible_to(commune_user).filter(number=registry.NUMBER_002).exists()


@pytest.mark.django_db
def test_second_run_changes_nothing(demo_loaded):
    before = all_counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert all_counts() == before
    assert "không có gì thay đổi" in out.getvalue()
    counts = load_registry_demo()
    assert set(counts.values()) == {0}


@pytest.mark.django_db
def test_second_run_leaves_changes_made_during_the_demo_alone(demo_loaded):
    a = agreement(registry.NUMBER_001)
    a.summary = "sửa trong lúc dùng thử"
    a.save(update_fields=["summary"])
    events = AgreementEvent.objects.count()
    assert set(load_registry_demo().values()) == {0}
    assert agreement(registry.NUMBER_001).summary == "sửa trong lúc dùng thử"
    assert AgreementEvent.objects.count() == events


@pytest.mark.django_db
def test_audit_events_exist_for_the_created_records(demo_loaded):
    a = agreement(registry.NUMBER_002)
    assert AgreementEvent.objects.filter(pgh_obj=a, pgh_label="insert").exists()
    party = a.parties.first()
    assert party.events.filter(pgh_label="insert").exists()
    cluster = Cluster.objects.get(name=registry.CLUSTER_002)
    assert cluster.events.filter(pgh_label="insert").exists()


@pytest.mark.django_db
def test_demo_accounts_command_prints_the_table(demo_loaded):
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    assert text.startswith("Tài khoản demo (mật khẩu chung: demo12345)")
    for account in registry.DEMO_ACCOUNTS:
        assert account.username in text
    assert "Đồn Biên phòng Cửa Đại" in text

"""The synthetic benchmark data (demo/synthetic, ``manage.py generate_data``).

Small runs on a small legacy geography made with factories (3 provinces × 5 districts × 8
communes); one test imports the real geography through the generator itself. Every test runs in
the test's transaction: the generator's COPY, SET LOCAL and ANALYZE all work inside it.
"""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from agreements.models import (
    AdministrativeUnit,
    AdminLevel,
    Agreement,
    AgreementEvent,
    AgreementParty,
    AgreementPartyEvent,
    ClusterEvent,
    ClusterMember,
    ClusterMemberEvent,
    Era,
    Officer,
    Role,
    Unit,
    UnitEvent,
)
from agreements.tests.factories import (
    CommuneFactory,
    DistrictFactory,
    OfficerFactory,
    ProvinceFactory,
    UnitFactory,
    jurisdiction,
)
from demo import synthetic
from demo.synthetic import writer
from incidents.models import CLEARED_STATUSES, Incident, IncidentEvent, Tip, TipEvent, TipStatus
from incidents.tests.factories import IncidentFactory, TipFactory
from patrols.models import Patrol, PatrolEvent, PatrolParticipation, PatrolParticipationEvent
from patrols.tests.factories import PatrolFactory, PatrolParticipationFactory

pytestmark = pytest.mark.django_db

SMALL = {"agreements": 6, "patrols": 1_000, "tips": 600, "incidents": 2_000}
EVENT_MODELS = (UnitEvent, AgreementEvent, AgreementPartyEvent, ClusterEvent, ClusterMemberEvent, PatrolEvent,
                PatrolParticipationEvent, TipEvent, IncidentEvent)
PERIOD_START = timezone.make_aware(datetime.datetime(2021, 1, 1))
PERIOD_END = timezone.make_aware(datetime.datetime(2025, 3, 1))


@pytest.fixture
def geography():
    """A legacy geography subset: 3 provinces, 5 districts each, 8 communes per district."""
    for p in range(3):
        province = ProvinceFactory(code=95000 + p)
        for d in range(5):
            district = DistrictFactory(parent=province, code=95100 + 10 * p + d)
            for c in range(8):
                CommuneFactory(parent=district, code=96000 + 100 * p + 10 * d + c)


def generate(**kwargs) -> synthetic.GenerationResult:
    return synthetic.generate(**{"seed": 42, **SMALL, **kwargs})


def events() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in EVENT_MODELS}


def synthetic_agreements():
    return Agreement.objects.filter(number__startswith=synthetic.SYNTHETIC_AGREEMENT_PREFIX)


def scalar(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def fingerprint() -> dict[str, object]:
    """Everything that must not change between two runs with one seed (ids excepted)."""
    incidents = Incident.objects.filter(agreement__in=synthetic_agreements())
    patrols = Patrol.objects.filter(agreement__in=synthetic_agreements())
    tips = Tip.objects.filter(agreement__in=synthetic_agreements())
    digest = {}
    # Whole-table digests over natural keys (agreement number, unit name, commune code, category code):
    # each query yields one text per row, hashed in sorted order.
    for name, sql in {
        "incidents": """
            SELECT concat_ws('|', a.number, i.occurred_at, au.code, c.code, i.nature, i.status,
                   i.solved_at, i.suspects, i.suspects_dealt_with, u.name, i.source, i.jointly_handled, i.place,
                   (SELECT string_agg(su.name, ';' ORDER BY su.name) FROM incidents_incident_supporting_units s
                    JOIN agreements_unit su ON su.id = s.unit_id WHERE s.incident_id = i.id))
            FROM incidents_incident i JOIN agreements_agreement a ON a.id = i.agreement_id
            JOIN agreements_administrativeunit au ON au.id = i.commune_id
            JOIN incidents_incidentcategory c ON c.id = i.category_id JOIN agreements_unit u ON u.id = i.lead_unit_id
            WHERE a.number LIKE 'GL-%%'""",
        "patrols": """
            SELECT concat_ws('|', a.number, p.started_at, p.ended_at, p.status, p.officer_total,
                   u.name, p.route, p.programme)
            FROM patrols_patrol p JOIN agreements_agreement a ON a.id = p.agreement_id
            JOIN agreements_unit u ON u.id = p.lead_unit_id WHERE a.number LIKE 'GL-%%'""",
        "tips": """
            SELECT concat_ws('|', a.number, t.received_at, t.status, t.deadline, t.jointly_verified,
                   f.name, r.name, t.summary, t.verified_at)
            FROM incidents_tip t JOIN agreements_agreement a ON a.id = t.agreement_id
            JOIN agreements_unit f ON f.id = t.from_unit_id JOIN agreements_unit r ON r.id = t.to_unit_id
            WHERE a.number LIKE 'GL-%%'""",
        "members": """
            SELECT concat_ws('|', cl.name, au.code, m.valid_from, m.valid_to)
            FROM agreements_clustermember m JOIN agreements_cluster cl ON cl.id = m.cluster_id
            JOIN agreements_administrativeunit au ON au.id = m.commune_id WHERE cl.name LIKE '[Giả lập]%%'""",
    }.items():
        digest[name] = scalar(f"SELECT md5(string_agg(r, ',' ORDER BY r)) FROM ({sql}) AS rows (r)")
    return {
        **digest,
        "agreements": sorted(synthetic_agreements().values_list("number", "title", "signed_on")),
        "officer_total": sum(patrols.values_list("officer_total", flat=True)),
        "by_category": Counter(incidents.values_list("category__code", flat=True)),
        "by_status": Counter(incidents.values_list("status", flat=True)),
        "solved": incidents.filter(status__in=CLEARED_STATUSES).count(),
        "tips_by_status": Counter(tips.values_list("status", flat=True)),
    }


# --- a small run ---------------------------------------------------------------------------------


def test_small_run_writes_exact_counts_unaudited(geography):
    before = events()
    result = generate()

    assert result.mode == "replica"
    assert synthetic_agreements().count() == 6
    assert Patrol.objects.count() == 1_000
    assert Tip.objects.count() == 600
    assert Incident.objects.count() == 2_000
    assert {s.table: s.rows for s in result.stats}["incidents_incident"] == 2_000
    assert AgreementParty.objects.filter(agreement__in=synthetic_agreements()).count() == 12
    assert not Unit.objects.exclude(name__startswith=synthetic.SYNTHETIC_UNIT_PREFIX).exists()
    # The load wrote no audit events ...
    assert events() == before
    # ... and the bypass ended with it, although the test's transaction is still open.
    unit = UnitFactory()
    assert UnitEvent.objects.filter(pgh_obj_id=unit.pk, pgh_label="insert").count() == 1
    assert synthetic.integrity_problems() == []


def test_registry_is_shaped_like_the_brief(geography):
    generate()
    for agreement in synthetic_agreements().prefetch_related("parties__unit", "clusters__members"):
        parties = list(agreement.parties.all())
        assert len(parties) == 2
        assert all(p.unit.level == "district" and p.unit.force == "police" for p in parties)
        assert agreement.effective_to == synthetic.DISTRICT_POLICE_LAST_DAY
        assert agreement.coordination_areas.count() == 5
        for cluster in agreement.clusters.all():
            per_side = Counter(m.responsible_party_id for m in cluster.members.all())
            assert set(per_side) == {p.pk for p in parties}
            assert all(2 <= n <= 8 for n in per_side.values())
            for member in cluster.members.all():
                assert member.valid_from < synthetic.FIRST_DAY
                # The commune lies in the area of the party responsible for it (ClusterMember.clean).
                member.full_clean()
    commune_police = Unit.objects.filter(level="commune")
    assert commune_police.exists()
    assert all(u.parent.area_id == u.area.parent_id for u in commune_police.select_related("parent", "area"))


def test_invariants_hold(geography):
    generate()
    incidents = Incident.objects.all()
    # Cleared ⇔ solved_at; solved after it occurred; dealt with ≤ suspects.
    assert not incidents.filter(status__in=CLEARED_STATUSES, solved_at__isnull=True).exists()
    assert not incidents.exclude(status__in=CLEARED_STATUSES).filter(solved_at__isnull=False).exists()
    assert scalar("SELECT count(*) FROM incidents_incident WHERE solved_at < occurred_at") == 0
    assert scalar("SELECT count(*) FROM incidents_incident WHERE suspects_dealt_with > suspects") == 0
    assert set(incidents.values_list("status", flat=True)) >= {"investigating", "solved", "prosecuted", "sanctioned"}
    # Every incident's commune was a member of its cluster on the (local) day it occurred.
    assert scalar("""
        SELECT count(*) FROM incidents_incident i WHERE i.cluster_id IS NULL OR NOT EXISTS (
            SELECT 1 FROM agreements_clustermember m JOIN agreements_cluster c ON c.id = m.cluster_id
            WHERE m.cluster_id = i.cluster_id AND m.commune_id = i.commune_id AND c.agreement_id = i.agreement_id
              AND m.valid_from <= (i.occurred_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
              AND (m.valid_to IS NULL OR m.valid_to >= (i.occurred_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date))""") == 0
    # Some members left their cluster during the period, and that was respected.
    assert ClusterMember.objects.filter(valid_to__isnull=False).exists()
    # Patrols: officer_total is the sum of participations; the lead takes part; communes are members.
    assert scalar("""
        SELECT count(*) FROM patrols_patrol p WHERE p.officer_total <>
            (SELECT coalesce(sum(officers), 0) FROM patrols_patrolparticipation x WHERE x.patrol_id = p.id)
        OR NOT EXISTS (SELECT 1 FROM patrols_patrolparticipation x WHERE x.patrol_id = p.id
                       AND x.unit_id = p.lead_unit_id)""") == 0
    assert scalar("""
        SELECT count(*) FROM patrols_patrol_communes pc JOIN patrols_patrol p ON p.id = pc.patrol_id
        WHERE NOT EXISTS (SELECT 1 FROM agreements_clustermember m JOIN agreements_cluster c ON c.id = m.cluster_id
            WHERE c.agreement_id = p.agreement_id AND (p.cluster_id IS NULL OR c.id = p.cluster_id)
              AND m.commune_id = pc.administrativeunit_id
              AND (m.valid_to IS NULL OR m.valid_to >= (p.ended_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date))""") == 0
    assert scalar("SELECT count(*) FROM patrols_patrol WHERE ended_at < started_at") == 0
    # Units on records belong to the agreement (a party or a unit under one).
    for table, column in [("incidents_incident", "lead_unit_id"), ("incidents_tip", "from_unit_id"),
                          ("incidents_tip", "to_unit_id"), ("patrols_patrol", "lead_unit_id")]:
        assert scalar(f"""
            SELECT count(*) FROM {table} r JOIN agreements_unit u ON u.id = r.{column}
            WHERE NOT EXISTS (SELECT 1 FROM agreements_agreementparty ap WHERE ap.agreement_id = r.agreement_id
                              AND ap.unit_id IN (u.id, u.parent_id))""") == 0, (table, column)
    # Jointly handled ⇔ supporting units other than the lead; linked tips and patrols share the agreement.
    assert scalar("""
        SELECT count(*) FROM incidents_incident i WHERE i.jointly_handled <> EXISTS (
            SELECT 1 FROM incidents_incident_supporting_units s WHERE s.incident_id = i.id)""") == 0
    assert scalar("""SELECT count(*) FROM incidents_incident_supporting_units s
                     JOIN incidents_incident i ON i.id = s.incident_id WHERE s.unit_id = i.lead_unit_id""") == 0
    assert incidents.filter(jointly_handled=True).exists()
    assert scalar("""SELECT count(*) FROM incidents_incident_tips x JOIN incidents_incident i ON i.id = x.incident_id
                     JOIN incidents_tip t ON t.id = x.tip_id WHERE t.agreement_id <> i.agreement_id""") == 0
    assert scalar("""SELECT count(*) FROM incidents_incident_patrols x
                     JOIN incidents_incident i ON i.id = x.incident_id JOIN patrols_patrol p ON p.id = x.patrol_id
                     WHERE p.agreement_id <> i.agreement_id""") == 0
    assert incidents.filter(tips__isnull=False).exists()
    assert incidents.filter(patrols__isnull=False).exists()
    # Tips: a realistic mix, deadlines after receipt, some open ones overdue, some verified jointly.
    tips = Tip.objects.all()
    assert set(tips.values_list("status", flat=True)) == set(TipStatus.values)
    assert scalar("""SELECT count(*) FROM incidents_tip
                     WHERE deadline < (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date""") == 0
    assert tips.filter(status__in=["received", "verifying"], deadline__lt=synthetic.END_DAY).exists()
    assert tips.filter(jointly_verified=True).exists()
    assert not tips.filter(status="verified_true", verified_at__isnull=True).exists()
    # Every timestamp lies in 2021-01-01 … 2025-02-28 (local), so none is in the future.
    now = timezone.now()
    for model, fields in [
        (Incident, ["occurred_at", "solved_at", "created_at"]),
        (Patrol, ["started_at", "ended_at", "confirmed_at", "created_at"]),
        (Tip, ["received_at", "acknowledged_at", "verified_at", "created_at"]),
    ]:
        for name in fields:
            values = model.objects.exclude(**{f"{name}__isnull": True}).values_list(name, flat=True)
            assert min(values) >= PERIOD_START, (model, name)
            assert max(values) < min(PERIOD_END, now), (model, name)


# --- determinism and --clear ---------------------------------------------------------------------


def test_same_seed_same_data_after_clear(geography):
    generate(seed=7)
    first = fingerprint()
    synthetic.clear_synthetic()
    assert not synthetic_agreements().exists()
    generate(seed=7)
    assert fingerprint() == first
    generate(seed=8, clear=True)
    assert fingerprint() != first


def test_clear_removes_only_synthetic_data(geography):
    demo = jurisdiction()
    patrol = PatrolFactory(agreement=demo.agreement, cluster=demo.cluster, lead_unit=demo.unit_a)
    PatrolParticipationFactory(patrol=patrol, unit=demo.unit_a, officers=6)
    tip = TipFactory(agreement=demo.agreement, from_unit=demo.unit_a, to_unit=demo.unit_b)
    incident = IncidentFactory(agreement=demo.agreement, cluster=demo.cluster,
                               commune=demo.commune_a, lead_unit=demo.unit_a)
    incident.tips.add(tip)
    incident.supporting_units.add(demo.unit_b)
    kept = {model: set(model.objects.values_list("pk", flat=True))
            for model in (Agreement, AgreementParty, ClusterMember, Unit, Patrol, PatrolParticipation, Tip, Incident,
                          Officer, AdministrativeUnit)}
    before = events()

    generate()
    with pytest.raises(synthetic.SyntheticDataError):
        generate()  # a second set needs --clear
    synthetic_officer = OfficerFactory(unit=Unit.objects.filter(name__startswith="[Giả lập]").first())
    events_with_officer = events()
    deleted = synthetic.clear_synthetic()

    assert deleted["incidents_incident"] == 2_000
    assert deleted["agreements_officer"] == 1
    for model, pks in kept.items():
        assert set(model.objects.values_list("pk", flat=True)) == pks, model
    assert not Unit.objects.filter(name__startswith=synthetic.SYNTHETIC_UNIT_PREFIX).exists()
    assert list(incident.tips.all()) == [tip]
    assert list(incident.supporting_units.all()) == [demo.unit_b]
    assert type(synthetic_officer.user).objects.filter(pk=synthetic_officer.user_id).exists()
    # Neither the load nor the clear wrote audit events.
    assert events() == events_with_officer == before
    assert synthetic.integrity_problems() == []


def test_clear_refuses_when_real_records_point_at_synthetic_units(geography):
    demo = jurisdiction()
    generate()
    synthetic_unit = Unit.objects.filter(name__startswith=synthetic.SYNTHETIC_UNIT_PREFIX).first()
    PatrolFactory(agreement=demo.agreement, lead_unit=synthetic_unit)
    with pytest.raises(synthetic.SyntheticDataError):
        synthetic.clear_synthetic()
    assert synthetic_agreements().count() == 6
    assert Incident.objects.count() == 2_000


# --- the data answers to the access rules --------------------------------------------------------


def test_synthetic_officer_sees_only_his_agreements_records(geography):
    other = jurisdiction()
    generate()
    unit = Unit.objects.filter(level="district", name__startswith="[Giả lập]").order_by("name").first()
    own = set(AgreementParty.objects.filter(unit=unit).values_list("agreement_id", flat=True))
    officer = OfficerFactory(unit=unit, role=Role.OFFICER).user
    commander = OfficerFactory(unit=unit, role=Role.COMMANDER).user
    post = OfficerFactory(unit=Unit.objects.filter(parent=unit).first(), role=Role.OFFICER).user

    assert own and own < set(synthetic_agreements().values_list("pk", flat=True))
    for user in (officer, commander, post):
        assert set(Agreement.objects.visible_to(user).values_list("pk", flat=True)) == own
    # Every synthetic incident and patrol has a cluster, so officers see all of their agreements'.
    expected = Incident.objects.filter(agreement__in=own)
    assert Incident.objects.visible_to(officer).count() == expected.count() > 0
    assert set(Incident.objects.visible_to(commander).values_list("pk", flat=True)) == set(
        expected.values_list("pk", flat=True))
    assert not Incident.objects.visible_to(officer).exclude(agreement__in=own).exists()
    visible_patrols = Patrol.objects.visible_to(officer)
    assert visible_patrols.exists() and not visible_patrols.exclude(agreement__in=own).exists()
    # Tips: only those his unit sent or received (a commander also those of the posts under him).
    tips = Tip.objects.visible_to(officer)
    assert tips.exists()
    assert not tips.exclude(from_unit=unit).exclude(to_unit=unit).exists()
    assert Tip.objects.visible_to(commander).count() >= tips.count()
    # Someone from another jurisdiction sees none of it.
    assert not Incident.objects.visible_to(other.user).filter(agreement__in=own).exists()


# --- other paths ---------------------------------------------------------------------------------


def test_pgtrigger_fallback_also_leaves_no_events(geography):
    before = events()
    result = generate(trigger_bypass="pgtrigger", incidents=300, patrols=100, tips=80)
    assert result.mode == "pgtrigger"
    assert Incident.objects.count() == 300
    assert events() == before
    unit = UnitFactory()
    assert UnitEvent.objects.filter(pgh_obj_id=unit.pk).count() == 1


def test_without_the_right_to_set_replication_role_pgtrigger_is_used(geography):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE pg_monitor")  # a role that may not SET session_replication_role
        with writer._audit_bypassed(cursor, "auto") as mode:
            assert mode == "pgtrigger"
        cursor.execute("RESET ROLE")


def test_big_tables_get_their_indexes_back(geography, monkeypatch):
    def definitions(table):
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table])
            return cursor.fetchall()

    tables = ["incidents_incident", "patrols_patrol", "incidents_tip", "patrols_patrolparticipation"]
    before = {t: definitions(t) for t in tables}
    monkeypatch.setattr(writer, "INDEX_REBUILD_THRESHOLD", 500)
    monkeypatch.setattr(writer, "PROGRESS_EVERY", 800)
    monkeypatch.setattr(writer._Writer, "CHUNK", 500)
    log = []
    generate(log=log.append)
    rebuilt = [int(m.group(1)) for line in log if (m := re.search(r"dựng lại (\d+) chỉ mục", line))]
    assert rebuilt and rebuilt[0] > 0  # and below: every definition is back as it was
    progress = [line.split(" dòng")[0].strip() for line in log if line.startswith("    … Vụ việc")]
    assert progress == ["… Vụ việc: 1.000/2.000"]
    assert {t: definitions(t) for t in tables} == before
    assert synthetic.integrity_problems() == []


def test_geography_is_imported_when_missing():
    assert not AdministrativeUnit.objects.exists()
    result = generate(agreements=3, patrols=50, tips=30, incidents=100)
    assert result.geography_imported
    assert AdministrativeUnit.objects.filter(era=Era.LEGACY, level=AdminLevel.COMMUNE).count() > 10_000
    assert Incident.objects.count() == 100
    assert synthetic.integrity_problems() == []


def test_command_prints_vietnamese_progress(geography):
    out = io.StringIO()
    call_command("generate_data", "--agreements", "4", "--patrols", "1000", "--tips", "100", "--incidents", "1500",
                 "--seed", "3", "--verify", stdout=out)
    text = out.getvalue()
    assert "1.500 vụ việc" in text
    assert "Vụ việc (incidents_incident): 1.500 dòng" in text
    assert "Kiểm tra khóa ngoại: không có tham chiếu hỏng." in text
    with pytest.raises(CommandError, match="--clear"):
        call_command("generate_data", "--agreements", "2", "--patrols", "0", "--tips", "0", "--incidents", "10",
                     stdout=io.StringIO())
    call_command("generate_data", "--clear-only", stdout=out)
    assert not synthetic_agreements().exists()


def test_too_many_agreements_for_the_geography(geography):
    with pytest.raises(synthetic.SyntheticDataError):
        generate(agreements=500)


def test_vietnamese_numbers():
    assert synthetic.vi_number(1_000_000) == "1.000.000"
    assert synthetic.vi_number(12.5, 1) == "12,5"

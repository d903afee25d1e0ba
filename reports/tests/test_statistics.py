"""The statistics module against small worlds whose figures are counted by hand, and against the demo seeds.

Every expectation below is written out from the records the test builds (see the comments next to
each record), never computed with the code under test. Timestamps are aware datetimes in
Asia/Ho_Chi_Minh, so the period boundaries are local midnights.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from agreements.models import (
    AdministrativeUnit,
    Agreement,
    Force,
    Role,
    SelfManagementKind,
    SelfManagementModel,
    SelfManagementStatus,
    Unit,
)
from agreements.tests.factories import (
    ClusterMemberFactory,
    CommuneFactory,
    Jurisdiction,
    OfficerFactory,
    UnitFactory,
    jurisdiction,
)
from borderzone.formatting import change_text, clearance_text, vn_number
from borderzone.periods import KIND_RANGE, KIND_YEAR, Period, choose
from demo import registry
from incidents.filters import IncidentFilterForm, TipFilterForm
from incidents.models import Incident, IncidentSource, IncidentStatus, Nature, TipStatus
from incidents.selectors import incident_list, tip_list
from incidents.tests.factories import IncidentFactory, TipFactory, category
from patrols.filters import PatrolFilterForm
from patrols.models import Checkpoint, PatrolStatus
from patrols.selectors import patrol_list
from patrols.tests.factories import CampaignFactory, PatrolFactory
from reports import dashboards
from reports.models import Award, Conference, ConferenceKind, RecipientKind
from reports.statistics import HEADLINE_KEYS, compute_figures, figures_scope_querysets

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
Y2022, Y2023 = Period.year(2022), Period.year(2023)
TODAY = D(2026, 11, 22)  # long after 2023: every open 2023 tip is judged at the period's end


def at(*args: int) -> datetime.datetime:
    """An aware local time in Asia/Ho_Chi_Minh."""
    return datetime.datetime(*args, tzinfo=HCM)


# A small world -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    a: AdministrativeUnit
    b: AdministrativeUnit
    c: AdministrativeUnit
    d: AdministrativeUnit
    e: AdministrativeUnit
    police: Unit
    military: Unit
    border: Unit
    incidents: dict  # by the numbers in the comments
    tips: dict


@pytest.fixture
def world(j) -> World:
    """``j``'s agreement and cluster: communes A, B (members since 2021), C (joined 01/07/2023),
    E (member until 31/03/2023, inclusive), D (never a member). Incidents, tips, patrols as commented."""
    agreement, cluster = j.agreement, j.cluster
    a, b = j.commune_a, j.commune_b
    area = j.unit_a.area
    c = ClusterMemberFactory(cluster=cluster, responsible_party=j.party_a, valid_from=D(2023, 7, 1)).commune
    e = ClusterMemberFactory(
        cluster=cluster, responsible_party=j.party_a, valid_from=D(2021, 3, 1), valid_to=D(2023, 3, 31)
    ).commune
    d = CommuneFactory(parent=area)
    police = j.unit_a
    military = UnitFactory(force=Force.MILITARY, name="Ban Chỉ huy Quân sự huyện Thử Nghiệm")
    border = UnitFactory(force=Force.BORDER_GUARD, name="Đồn Biên phòng Thử Nghiệm")

    def incident(commune, occurred, **values):
        values.setdefault("nature", Nature.CRIMINAL)
        return IncidentFactory(agreement=agreement, commune=commune, occurred_at=occurred, lead_unit=police, **values)

    solved = IncidentStatus.SOLVED
    i = {
        # 2023 (local). 1: the last half hour of 2023; solved only in 2024 → not cleared within 2023.
        1: incident(a, at(2023, 12, 31, 23, 30), status=solved, solved_at=at(2024, 1, 2, 10)),
        # 2: a quarter past midnight on 1/1/2024 (still 2023 in UTC) → not 2023.
        2: incident(a, at(2024, 1, 1, 0, 15)),
        3: incident(b, at(2023, 3, 10, 21), category=category("danh-bac"), status=IncidentStatus.PROSECUTED,
                    solved_at=at(2023, 3, 20, 9), suspects=3, suspects_dealt_with=2, jointly_handled=True,
                    source=IncidentSource.TIP),
        # 4: C before it joined the cluster: the agreement's, not the cluster's.
        4: incident(c, at(2023, 5, 5, 10), nature=Nature.ADMINISTRATIVE, status=IncidentStatus.SANCTIONED,
                    solved_at=at(2023, 5, 6, 10), suspects=1, suspects_dealt_with=1),
        5: incident(c, at(2023, 8, 8, 22)),
        # 6: D is never a member: outside the cluster.
        6: incident(d, at(2023, 2, 2, 2), category=category("danh-bac"), status=solved,
                    solved_at=at(2023, 2, 10, 8), suspects=2, suspects_dealt_with=2, source=IncidentSource.PATROL),
        # 9: a quarter past midnight on 1/1/2023 (still 2022 in UTC) → 2023.
        9: incident(a, at(2023, 1, 1, 0, 15), nature=Nature.ADMINISTRATIVE),
        # 10: C's first local day of membership (30/06 in UTC) → the cluster's.
        10: incident(c, at(2023, 7, 1, 0, 15), nature=Nature.ADMINISTRATIVE),
        # 11, 12: E's last local day of membership (inclusive) and the first minutes after it.
        11: incident(e, at(2023, 3, 31, 23, 30), status=IncidentStatus.CLOSED, solved_at=at(2023, 4, 2, 8)),
        12: incident(e, at(2023, 4, 1, 0, 10), status=IncidentStatus.INVESTIGATING),
        # 2022. 7: solved in January 2023 → an older case solved in 2023.
        7: incident(a, at(2022, 11, 20, 14), status=solved, solved_at=at(2023, 1, 15, 9), suspects=2,
                    suspects_dealt_with=2),
        8: incident(b, at(2022, 6, 1, 9)),
    }

    def tip(from_unit, to_unit, received, **values):
        values.setdefault("deadline", (received + datetime.timedelta(days=10)).date())
        return TipFactory(agreement=agreement, from_unit=from_unit, to_unit=to_unit, received_at=received, **values)

    t = {
        1: tip(military, police, at(2023, 4, 2, 9), status=TipStatus.TRUE, jointly_verified=True, cluster=cluster),
        2: tip(border, police, at(2023, 5, 1, 9), status=TipStatus.FALSE, jointly_verified=True, cluster=cluster),
        # 3: still open, deadline 10/06/2023 → overdue.
        3: tip(border, police, at(2023, 6, 1, 9), status=TipStatus.RECEIVED, deadline=D(2023, 6, 10)),
        # 4: still open, but its deadline falls after 2023 → not overdue *in 2023*.
        4: tip(police, military, at(2023, 12, 30, 9), status=TipStatus.VERIFYING, deadline=D(2024, 1, 5)),
        5: tip(police, border, at(2023, 2, 1, 9), status=TipStatus.HANDED_OVER),
        6: tip(military, police, at(2024, 1, 1, 0, 15), status=TipStatus.TRUE),  # 2024
        7: tip(military, police, at(2022, 3, 1, 9), status=TipStatus.TRUE, jointly_verified=True),  # 2022
    }
    i[3].tips.add(t[1])

    tbby, joint = "Tuyến biển bình yên", "Tuần tra chung vùng giáp ranh"

    def patrol(started, programme, officers, communes=(), **values):
        p = PatrolFactory(agreement=agreement, lead_unit=police, started_at=started, programme=programme,
                          officer_total=officers, **values)
        p.communes.set(communes)
        return p

    patrol(at(2023, 1, 1, 0, 30), tbby, 6, [a], status=PatrolStatus.CONFIRMED)
    patrol(at(2023, 3, 15, 20), tbby, 6, [a, b])
    patrol(at(2023, 12, 31, 22), tbby, 6, status=PatrolStatus.CONFIRMED)
    patrol(at(2023, 3, 20, 19), joint, 9, [b], cluster=cluster)
    patrol(at(2024, 1, 1, 0, 15), tbby, 6)  # 2024
    patrol(at(2022, 3, 10, 20), tbby, 6)  # 2022

    CampaignFactory(agreement=agreement, starts_on=D(2022, 12, 15), ends_on=D(2023, 1, 10))  # in
    CampaignFactory(agreement=agreement, starts_on=D(2023, 12, 31), ends_on=D(2024, 1, 15), cluster=cluster)  # in
    CampaignFactory(agreement=agreement, starts_on=D(2024, 1, 1), ends_on=D(2024, 1, 15))  # out
    CampaignFactory(agreement=agreement, starts_on=D(2022, 12, 1), ends_on=D(2022, 12, 31))  # out
    Checkpoint.objects.create(agreement=agreement, place="Ngã ba giáp ranh", commune=a, purpose="Kiểm soát dịch",
                              starts_on=D(2023, 2, 1))  # in
    Checkpoint.objects.create(agreement=agreement, place="Cầu giáp ranh", commune=b, purpose="Kiểm soát dịch",
                              starts_on=D(2021, 8, 1), ends_on=D(2022, 12, 31))  # out

    def model(kind, started, ended, status, name):
        return SelfManagementModel.objects.create(agreement=agreement, commune=a, kind=kind, name=name,
                                                  started_on=started, ended_on=ended, status=status)

    active, ended, suspended = SelfManagementStatus.ACTIVE, SelfManagementStatus.ENDED, SelfManagementStatus.SUSPENDED
    model(SelfManagementKind.CAMERA, D(2020, 5, 1), None, active, "Camera 1")  # in, active
    model(SelfManagementKind.CAMERA, D(2024, 1, 1), None, active, "Camera 2")  # out: starts after 2023
    model(SelfManagementKind.CRIME_CLUB, D(2019, 1, 1), D(2022, 12, 31), ended, "CLB 1")  # out: ended before
    model(SelfManagementKind.CRIME_CLUB, D(2019, 1, 1), None, ended, "CLB 2")  # out: ended, no date
    model(SelfManagementKind.CRIME_CLUB, D(2019, 1, 1), D(2023, 6, 30), ended, "CLB 3")  # in
    model(SelfManagementKind.BOARDING_HOUSE, None, None, suspended, "Nhà trọ 1")  # in

    def conference(held_on, period_year, kind=ConferenceKind.INTERIM, title=None):
        return Conference.objects.create(agreement=agreement, kind=kind, held_on=held_on, period_year=period_year,
                                         host_unit=police, title=title or f"Hội nghị ngày {held_on:%d/%m/%Y}")

    review_2023 = conference(D(2024, 1, 10), 2023, title="Hội nghị sơ kết năm 2023")  # January after: 2023's
    review_2022 = conference(D(2023, 1, 12), 2022)  # held in 2023, reviews 2022
    conference(D(2023, 5, 5), None, kind=ConferenceKind.SIGNING)  # no year reviewed: by its date
    for kind, n in ((RecipientKind.COLLECTIVE, 2), (RecipientKind.INDIVIDUAL, 3)):
        for k in range(n):
            Award.objects.create(conference=review_2023, recipient_kind=kind, recipient=f"Người {k}",
                                 authority="UBND huyện Thử Nghiệm")
    Award.objects.create(conference=review_2022, recipient_kind=RecipientKind.INDIVIDUAL, recipient="Khác",
                         authority="UBND huyện Thử Nghiệm")
    return World(a=a, b=b, c=c, d=d, e=e, police=police, military=military, border=border, incidents=i, tips=t)


def test_incidents_of_the_agreement(j, world):
    f = compute_figures(agreement=j.agreement, period=Y2023, today=TODAY)
    inc = f["incidents"]
    # 2023: 1, 3, 4, 5, 6, 9, 10, 11, 12 (not 2, at 00:15 on 1/1/2024).
    assert inc["occurred"] == 9
    assert (inc["criminal"], inc["administrative"]) == (6, 3)  # criminal 1, 3, 5, 6, 11, 12
    assert inc["solved_of_occurred"] == 4  # 3, 4, 6, 11 (1 was solved in 2024)
    assert inc["clearance_rate"] == pytest.approx(400 / 9)
    assert inc["criminal_solved_of_occurred"] == 3  # 3, 6, 11
    assert inc["criminal_clearance_rate"] == pytest.approx(50.0)
    assert inc["solved_in_period"] == 5  # 3, 4, 6, 11 and 7 (occurred in 2022)
    assert (inc["older_solved"], inc["older_solved_suspects"]) == (1, 2)
    assert inc["solved_in_period_suspects"] == 3 + 1 + 2 + 0 + 2
    assert (inc["suspects"], inc["suspects_dealt_with"]) == (6, 5)
    assert (inc["jointly_handled"], inc["jointly_handled_solved"], inc["jointly_suspects_dealt_with"]) == (1, 1, 2)
    assert (inc["from_tips"], inc["from_patrols"]) == (1, 1)
    natures = {row["nature"]: row for row in inc["by_nature"]}
    assert {k: (r["count"], r["previous"], r["solved_of_occurred"], r["suspects"], r["jointly_handled_solved"])
            for k, r in natures.items()} == {
        "criminal": (6, 2, 3, 5, 1),  # 1, 3, 5, 6, 11, 12; 2022: 7, 8; cleared 3, 6, 11
        "administrative": (3, 0, 1, 1, 0),  # 4, 9, 10; cleared 4
    }
    assert natures["criminal"]["clearance_rate"] == pytest.approx(50.0)

    by_code = {row["code"]: row for row in inc["by_category"]}
    assert {code: (r["count"], r["previous"], r["solved"], r["suspects"]) for code, r in by_code.items()} == {
        "danh-bac": (2, 0, 2, 5),  # 3, 6
        "trom-cap": (7, 2, 2, 1),  # 1, 4, 5, 9, 10, 11, 12; 2022: 7, 8
    }
    assert by_code["danh-bac"]["name"] == "Đánh bạc" and by_code["danh-bac"]["group"] == "Cờ bạc"
    by_commune = {row["commune_id"]: (row["count"], row["previous"], row["solved"]) for row in inc["by_commune"]}
    w = world
    assert by_commune == {
        w.a.pk: (2, 1, 0), w.b.pk: (1, 1, 1), w.c.pk: (3, 0, 1), w.d.pk: (1, 0, 1), w.e.pk: (2, 0, 1)
    }
    assert [m["month"] for m in inc["by_month"]] == [f"2023-{m:02d}" for m in range(1, 13)]
    assert [m["count"] for m in inc["by_month"]] == [1, 1, 2, 1, 1, 0, 1, 1, 0, 0, 0, 1]
    assert [m["previous"] for m in inc["by_month"]] == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]

    h = f["headline"]
    assert h["incidents_occurred"] == {"value": 9, "previous": 2, "diff": 7, "pct": 350.0}
    # Nothing of 2022 was cleared within 2022: the difference only, no percent.
    assert h["solved_of_occurred"] == {"value": 4, "previous": 0, "diff": 4, "pct": None}
    assert change_text(h["solved_of_occurred"]["diff"], h["solved_of_occurred"]["pct"]) == "tăng 4 vụ"
    assert change_text(h["incidents_occurred"]["diff"], h["incidents_occurred"]["pct"]) == "tăng 7 vụ (+350,0%)"
    assert h["clearance_rate"]["previous"] == 0.0 and h["clearance_rate"]["pct"] is None
    assert h["suspects_dealt_with"] == {"value": 5, "previous": 2, "diff": 3, "pct": 150.0}
    assert tuple(h) == HEADLINE_KEYS
    assert clearance_text(inc["solved_of_occurred"], inc["occurred"]) == "4/9 vụ (đạt 44,4%)"


def test_incidents_of_the_cluster_follow_membership_on_the_local_day(j, world):
    f = compute_figures(agreement=j.agreement, cluster=j.cluster, period=Y2023, today=TODAY)
    inc = f["incidents"]
    # 1, 3, 9 (A, B), 5 and 10 (C after joining, 10 on its first local day), 11 (E's last day).
    # Not 4 (C before joining), 6 (D, never a member), 12 (E, minutes after leaving).
    assert inc["occurred"] == 6
    assert (inc["criminal"], inc["administrative"]) == (4, 2)
    assert (inc["solved_of_occurred"], inc["criminal_solved_of_occurred"]) == (2, 2)  # 3, 11
    assert inc["solved_in_period"] == 3  # 3, 11, 7
    assert inc["older_solved"] == 1
    assert {row["commune_id"] for row in inc["by_commune"]} == {world.a.pk, world.b.pk, world.c.pk, world.e.pk}
    assert f["headline"]["incidents_occurred"] == {"value": 6, "previous": 2, "diff": 4, "pct": 200.0}
    assert f["scope"]["kind"] == "cluster" and f["scope"]["cluster_name"] == j.cluster.name
    # Every incident was recorded without a cluster: the figures go by membership, not by that field.
    assert not Incident.objects.filter(cluster__isnull=False).exists()


def test_tips(j, world):
    f = compute_figures(agreement=j.agreement, period=Y2023, today=TODAY)
    tips = f["tips"]
    assert (tips["total"], tips["previous"]) == (5, 1)  # 1–5; 2022: 7
    assert tips["jointly_verified"] == 2
    assert (tips["verified_true"], tips["verified_false"], tips["handed_over"]) == (1, 1, 1)
    assert (tips["open"], tips["overdue"]) == (2, 1)  # 3 and 4 open; only 3 overdue within 2023
    assert tips["led_to_incidents"] == 1
    assert {(r["from_force"], r["to_force"]): r["count"] for r in tips["by_force_direction"]} == {
        ("military", "police"): 1, ("border_guard", "police"): 2, ("police", "military"): 1,
        ("police", "border_guard"): 1,
    }
    pairs = {(r["from_unit"], r["to_unit"]): r["count"] for r in tips["by_direction"]}
    assert pairs[("Đồn Biên phòng Thử Nghiệm", world.police.name)] == 2
    assert sum(pairs.values()) == 5
    assert {r["status"]: r["count"] for r in tips["by_status"]} == dict.fromkeys(
        ("received", "verifying", "verified_true", "verified_false", "handed_over"), 1)
    assert f["headline"]["tips_exchanged"] == {"value": 5, "previous": 1, "diff": 4, "pct": 400.0}
    assert f["headline"]["tips_jointly_verified"] == {"value": 2, "previous": 1, "diff": 1, "pct": 100.0}
    # While 2023 was running (20/06/2023) tip 3 was overdue and tip 4 not yet due.
    running = compute_figures(agreement=j.agreement, period=Y2023, today=D(2023, 6, 20))
    assert running["tips"]["overdue"] == 1
    assert compute_figures(agreement=j.agreement, period=Y2023, today=D(2023, 6, 5))["tips"]["overdue"] == 0
    # The cluster's tips are those carrying the cluster.
    cluster = compute_figures(agreement=j.agreement, cluster=j.cluster, period=Y2023, today=TODAY)
    assert (cluster["tips"]["total"], cluster["tips"]["jointly_verified"]) == (2, 2)


def test_patrols(j, world):
    f = compute_figures(agreement=j.agreement, period=Y2023, today=TODAY)
    p = f["patrols"]
    assert (p["shifts"], p["person_participations"], p["confirmed"]) == (4, 27, 2)
    assert (p["previous_shifts"], p["previous_participations"]) == (1, 6)
    assert p["by_programme"] == [
        {"programme": "Tuyến biển bình yên", "shifts": 3, "participations": 18},
        {"programme": "Tuần tra chung vùng giáp ranh", "shifts": 1, "participations": 9},
    ]
    months = {m["month"]: (m["shifts"], m["participations"], m["previous_shifts"]) for m in p["by_month"]}
    assert len(months) == 12
    assert months["2023-01"] == (1, 6, 0)  # 00:30 on 1/1/2023 local
    assert months["2023-03"] == (2, 15, 1)
    assert months["2023-12"] == (1, 6, 0)
    assert sum(v[0] for v in months.values()) == 4
    assert {r["commune_id"]: r["shifts"] for r in p["by_commune"]} == {world.a.pk: 2, world.b.pk: 2}
    h = f["headline"]
    assert h["patrol_shifts"] == {"value": 4, "previous": 1, "diff": 3, "pct": 300.0}
    assert h["person_participations"] == {"value": 27, "previous": 6, "diff": 21, "pct": 350.0}
    cluster = compute_figures(agreement=j.agreement, cluster=j.cluster, period=Y2023, today=TODAY)
    assert (cluster["patrols"]["shifts"], cluster["patrols"]["person_participations"]) == (1, 9)


def test_campaigns_checkpoints_models_conferences_awards(j, world):
    f = compute_figures(agreement=j.agreement, period=Y2023, today=TODAY)
    assert f["campaigns"]["count"] == 2
    assert [c["starts_on"] for c in f["campaigns"]["items"]] == ["2022-12-15", "2023-12-31"]
    assert f["checkpoints"]["count"] == 1
    assert f["checkpoints"]["items"][0]["place"] == "Ngã ba giáp ranh"
    models = f["self_management_models"]
    assert (models["count"], models["active"]) == (3, 1)
    assert {r["kind"]: r["count"] for r in models["by_kind"]} == {"camera": 1, "crime_club": 1, "boarding_house": 1}
    # The review of 2023 held in January 2024 and the signing of May 2023; not the review of 2022.
    assert [c["held_on"] for c in f["conferences"]] == ["2023-05-05", "2024-01-10"]
    assert (f["awards"]["collectives"], f["awards"]["individuals"]) == (2, 3)
    assert {a["conference"] for a in f["awards"]["items"]} == {"Hội nghị sơ kết năm 2023"}
    # Any other period goes by the date held.
    half = compute_figures(agreement=j.agreement, period=Period.half(2023, 1), today=TODAY)
    assert [c["held_on"] for c in half["conferences"]] == ["2023-01-12", "2023-05-05"]
    assert (half["awards"]["collectives"], half["awards"]["individuals"]) == (0, 1)
    cluster = compute_figures(agreement=j.agreement, cluster=j.cluster, period=Y2023, today=TODAY)
    assert cluster["campaigns"]["count"] == 1 and cluster["checkpoints"]["count"] == 0
    assert cluster["conferences"] == [] and cluster["self_management_models"]["count"] == 0


def test_without_comparison_and_json(j, world):
    f = compute_figures(agreement=j.agreement, period=Y2023, compare=False, today=TODAY)
    assert f["comparison"] is None
    assert f["headline"]["incidents_occurred"] == {"value": 9, "previous": None, "diff": None, "pct": None}
    assert change_text(None, None) == ""
    assert all(m["previous"] is None for m in f["incidents"]["by_month"])
    assert f["period"] == {"start": "2023-01-01", "end": "2024-01-01", "label": "năm 2023"}
    assert json.loads(json.dumps(f)) == f
    other = compute_figures(agreement=j.agreement, period=Y2023, today=TODAY,
                            comparison=Period(D(2021, 1, 1), D(2023, 1, 1)))
    assert other["comparison"]["label"] == "giai đoạn 2021 - 2022"
    assert other["headline"]["incidents_occurred"]["previous"] == 2


def test_cluster_of_another_agreement_is_refused(j, world):
    other = jurisdiction()
    with pytest.raises(ValueError):
        compute_figures(agreement=j.agreement, cluster=other.cluster, period=Y2023)


def test_scope_querysets_count_the_figures(j, world):
    for cluster in (None, j.cluster):
        f = compute_figures(agreement=j.agreement, cluster=cluster, period=Y2023, today=TODAY)
        qs = figures_scope_querysets(j.agreement, cluster, Y2023)
        assert qs["incidents"].count() == f["incidents"]["occurred"]
        assert qs["incidents_solved"].count() == f["incidents"]["solved_in_period"]
        assert qs["tips"].count() == f["tips"]["total"]
        assert qs["patrols"].count() == f["patrols"]["shifts"]
        assert qs["campaigns"].count() == f["campaigns"]["count"]
        assert qs["checkpoints"].count() == f["checkpoints"]["count"]
        assert qs["self_management_models"].count() == f["self_management_models"]["count"]
        assert qs["conferences"].count() == len(f["conferences"])
        assert qs["awards"].count() == f["awards"]["collectives"] + f["awards"]["individuals"]


def _list_count(url_name: str, params: dict, user) -> int:
    """The count the list page would show for these query parameters (through its own form and selector)."""
    if url_name == "incidents:incident_list":
        form = IncidentFilterForm(params, user=user)
        assert form.is_valid(), form.errors
        return incident_list(user=user, **form.selector_filters()).count()
    if url_name == "incidents:tip_list":
        form = TipFilterForm(params, user=user)
        assert form.is_valid(), form.errors
        return tip_list(user=user, **form.selector_filters(None)).count()
    form = PatrolFilterForm(params, user=user)
    assert form.is_valid(), form.errors
    return patrol_list(user=user, **form.selector_kwargs()).count()


def _url_count(url: str, user) -> int:
    """The count of the list a dashboard URL opens."""
    path, _, query = url.partition("?")
    return _list_count(resolve(path).view_name, dict(parse_qsl(query)), user)


def values_of(f: dict) -> dict[str, int]:
    """The figures a list can reproduce, by headline name."""
    return {
        "incidents_occurred": f["incidents"]["occurred"],
        "criminal_occurred": f["incidents"]["criminal"],
        "solved_of_occurred": f["incidents"]["solved_of_occurred"],
        "criminal_solved_of_occurred": f["incidents"]["criminal_solved_of_occurred"],
        "jointly_handled": f["incidents"]["jointly_handled"],
        "tips_exchanged": f["tips"]["total"],
        "tips_jointly_verified": f["tips"]["jointly_verified"],
        "patrol_shifts": f["patrols"]["shifts"],
    }


def _dashboard(user, f: dict, chosen, today) -> tuple[dashboards.Links, dict, dict]:
    """The live dashboard's links for figures ``f``: the Links, the tiles' URLs by key, the breakdown rows."""
    scope = (dashboards.cluster_scope(user, f["scope"]["cluster_id"]) if f["scope"]["cluster_id"]
             else dashboards.agreement_scope(user, f["scope"]["agreement_id"]))
    complete = dashboards.list_completeness(user, scope, scope.records.querysets(chosen.period))
    links = dashboards.Links(scope=scope, period=chosen.period, complete=complete)
    tiles = {tile.key: tile.url for tile in dashboards.build_tiles(f, links, chosen, today)}
    return links, tiles, dashboards.breakdowns(f, links, chosen)


def _figure_targets(links: dashboards.Links, last_day: str) -> dict[str, tuple[str, dict]]:
    """Each headline figure's list, with the filters under which its count equals the figure."""
    return {
        "incidents_occurred": links.target("incidents"),
        "criminal_occurred": links.target("incidents", tinh_chat=Nature.CRIMINAL.value),
        # Cleared before the period's end: the services keep solved_at set exactly when the status is cleared.
        "solved_of_occurred": links.target("incidents", lam_ro_den=last_day),
        "criminal_solved_of_occurred": links.target("incidents", tinh_chat=Nature.CRIMINAL.value, lam_ro_den=last_day),
        "jointly_handled": links.target("incidents", phoi_hop="1"),
        "tips_exchanged": links.target("tips"),
        "tips_jointly_verified": links.target("tips", phoi_hop="1"),
        "patrol_shifts": links.target("patrols"),
    }


def test_dashboard_links_reproduce_the_figures(j, world):
    admin = OfficerFactory(role=Role.ADMINISTRATOR).user
    f = compute_figures(agreement=j.agreement, period=Y2023, today=TODAY)
    chosen = choose(KIND_YEAR, year=2023, today=TODAY)
    links, tiles, parts = _dashboard(admin, f, chosen, TODAY)
    targets = _figure_targets(links, "2023-12-31")
    assert targets["incidents_occurred"] == (
        "incidents:incident_list", {"quy_che": str(j.agreement.pk), "tu_ngay": "2023-01-01",
                                    "den_ngay": "2023-12-31"}
    )
    assert tiles["tips_overdue"] is None  # 2023 is over: the list's "overdue" is judged today
    for name, value in values_of(f).items():
        assert _list_count(*targets[name], admin) == value, name
    for key, figure in (("incidents_occurred", "incidents_occurred"), ("clearance_rate", "solved_of_occurred"),
                        ("tips_exchanged", "tips_exchanged"), ("tips_jointly_verified", "tips_jointly_verified"),
                        ("patrol_shifts", "patrol_shifts"), ("person_participations", "patrol_shifts")):
        assert _url_count(tiles[key], admin) == values_of(f)[figure], key
    for row in parts["categories"]:
        assert _url_count(row["url"], admin) == row["count"]
    for row in parts["communes"]:
        assert _url_count(row["url"], admin) == row["count"]
    assert {r["category_id"] for r in parts["categories"]} == {
        r["category_id"] for r in f["incidents"]["by_category"] if r["count"] or r["previous"]
    }
    assert {r["commune_id"] for r in parts["communes"]} == {
        r["commune_id"] for r in f["incidents"]["by_commune"] if r["count"] or r["previous"]
    }

    # A quarter still running: overdue tips link to the list.
    q2 = Period.quarter(2023, 2)
    today = D(2023, 6, 20)
    f = compute_figures(agreement=j.agreement, period=q2, today=today)
    chosen = choose(KIND_RANGE, start=q2.start, last=q2.last_day, today=today)
    links, tiles, _parts = _dashboard(admin, f, chosen, today)
    targets = _figure_targets(links, "2023-06-30")
    assert targets["tips_exchanged"][1] == {
        "quy_che": str(j.agreement.pk), "tu_ngay": "2023-04-01", "den_ngay": "2023-06-30"
    }
    assert _list_count(*targets["tips_exchanged"], admin) == f["tips"]["total"] == 3  # tips 1, 2, 3
    assert "qua_han=1" in tiles["tips_overdue"]
    assert _list_count(*targets["incidents_occurred"], admin) == f["incidents"]["occurred"] == 2  # 4, 12

    # A cluster: patrols and tips by their cluster field; incidents by membership on the day.
    f = compute_figures(agreement=j.agreement, cluster=j.cluster, period=Y2023, today=TODAY)
    chosen = choose(KIND_YEAR, year=2023, today=TODAY)
    links, tiles, _parts = _dashboard(admin, f, chosen, TODAY)
    targets = _figure_targets(links, "2023-12-31")
    assert _list_count(*targets["patrol_shifts"], admin) == f["patrols"]["shifts"] == 1
    assert _list_count(*targets["tips_exchanged"], admin) == f["tips"]["total"] == 2
    assert targets["incidents_occurred"][1]["thanh_vien_cum"] == str(j.cluster.pk)
    for name in ("incidents_occurred", "criminal_occurred", "solved_of_occurred"):
        assert _list_count(*targets[name], admin) == values_of(f)[name], name


def _world_of(n: int) -> Jurisdiction:
    """An agreement with a cluster and ``n`` incidents, tips and patrols spread over two years."""
    j = jurisdiction()
    communes = [j.commune_a, j.commune_b]
    units = [j.unit_a, j.unit_b]
    for k in range(n):
        when = at(2022 + k % 2, 1 + k % 12, 1 + k % 27, 10)
        incident = IncidentFactory(
            agreement=j.agreement, commune=communes[k % 2], occurred_at=when, lead_unit=units[0],
            status=IncidentStatus.SOLVED if k % 3 else IncidentStatus.RECEIVED,
            solved_at=when + datetime.timedelta(days=1) if k % 3 else None,
        )
        tip = TipFactory(agreement=j.agreement, from_unit=units[k % 2], to_unit=units[1 - k % 2], received_at=when,
                         deadline=when.date())
        incident.tips.add(tip)
        patrol = PatrolFactory(agreement=j.agreement, lead_unit=units[0], started_at=when, programme=f"P{k % 4}",
                               cluster=j.cluster if k % 2 else None)
        patrol.communes.set(communes)
    return j


@pytest.mark.django_db
def test_query_count_does_not_depend_on_the_rows():
    counts = []
    for n in (5, 50):
        j = _world_of(n)
        for cluster in (None, j.cluster):
            with CaptureQueriesContext(connection) as ctx:
                f = compute_figures(agreement=j.agreement, cluster=cluster, period=Y2023, today=TODAY)
            counts.append(len(ctx.captured_queries))
        assert f["incidents"]["occurred"] > 0
    assert counts == [17, 17, 17, 17]


@pytest.mark.django_db
def test_clearance_of_35_incidents():
    j = jurisdiction()
    unit = j.unit_a
    for k in range(35):
        when = at(2017, 1 + k % 12, 1 + k % 28, 9)
        solved = k < 31
        IncidentFactory(agreement=j.agreement, commune=j.commune_a, occurred_at=when, lead_unit=unit,
                        status=IncidentStatus.SOLVED if solved else IncidentStatus.INVESTIGATING,
                        solved_at=when + datetime.timedelta(days=3) if solved else None)
    f = compute_figures(agreement=j.agreement, period=Period.year(2017))
    inc = f["incidents"]
    assert clearance_text(inc["solved_of_occurred"], inc["occurred"]) == "31/35 vụ (đạt 88,6%)"
    assert clearance_text(inc["criminal_solved_of_occurred"], inc["criminal"]) == "31/35 vụ (đạt 88,6%)"
    assert inc["clearance_rate"] == pytest.approx(3100 / 35)
    empty = compute_figures(agreement=j.agreement, period=Period.year(2018))["incidents"]
    assert empty["clearance_rate"] is None
    assert clearance_text(empty["solved_of_occurred"], empty["occurred"]) == "0/0 vụ"


# The demo seeds ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """``load_demo`` once for the module (about 40 s), rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _agreement(number: str) -> Agreement:
    return Agreement.objects.get(number=number)


@pytest.mark.django_db
def test_demo_004_of_2023(demo):
    a = _agreement(registry.NUMBER_004)
    f = compute_figures(agreement=a, period=Y2023)
    forces = {(r["from_force"], r["to_force"]): r["count"] for r in f["tips"]["by_force_direction"]}
    to_police = forces.get(("military", "police"), 0) + forces.get(("border_guard", "police"), 0)
    from_police = forces.get(("police", "military"), 0) + forces.get(("police", "border_guard"), 0)
    assert (to_police, from_police) == (37, 29)  # "cung cấp 37 nguồn tin", "29 tin"
    assert f["tips"]["total"] == 66
    assert f["tips"]["jointly_verified"] == 44  # "phối hợp kiểm tra, xác minh 44 tin"
    assert f["headline"]["tips_jointly_verified"]["value"] == 44
    programme = {r["programme"]: r for r in f["patrols"]["by_programme"]}["Tuyến biển bình yên"]
    assert (programme["shifts"], programme["participations"]) == (215, 1290)
    assert f"{programme['shifts']} lượt với {vn_number(programme['participations'])}" == "215 lượt với 1.290"
    assert (f["awards"]["collectives"], f["awards"]["individuals"]) == (4, 7)
    assert f["self_management_models"]["count"] == 139
    assert f["tips"]["led_to_incidents"] >= 37


@pytest.mark.django_db
def test_demo_001_clearance_of_2017(demo):
    a = _agreement(registry.NUMBER_001)
    for cluster in (None, a.clusters.get()):
        inc = compute_figures(agreement=a, cluster=cluster, period=Period.year(2017))["incidents"]
        assert clearance_text(inc["criminal_solved_of_occurred"], inc["criminal"]) == "31/35 vụ (đạt 88,6%)"
        criminal = {row["nature"]: row for row in inc["by_nature"]}["criminal"]
        assert (criminal["count"], criminal["solved_of_occurred"]) == (35, 31)
        # "trực tiếp phối hợp điều tra làm rõ 24 vụ, bắt xử lý 7 đối tượng"
        assert (criminal["jointly_handled_solved"], criminal["jointly_suspects_dealt_with"]) == (24, 7)


@pytest.mark.django_db
def test_demo_003_incidents_2017_against_2016(demo):
    a = _agreement(registry.NUMBER_003)
    f = compute_figures(agreement=a, cluster=a.clusters.get(), period=Period.year(2017))
    h = f["headline"]["incidents_occurred"]
    assert (h["value"], h["previous"], h["diff"]) == (28, 41, -13)
    assert change_text(h["diff"], h["pct"]) == "giảm 13 vụ (-31,7%)"  # "giảm 13 vụ việc so với năm 2016"
    assert (f["patrols"]["shifts"], f["patrols"]["person_participations"]) == (25, 156)

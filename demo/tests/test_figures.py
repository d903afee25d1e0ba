"""The figures the seed reports quote, read back from the demo records through the selectors.

``manage.py load_demo`` (geography, registry, field records, conferences) runs once per module
inside a transaction rolled back at the end. Counting goes through the same selectors the pages
use, as the demo commander of a party, so the access rules are exercised too.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Sum

from agreements.models import Agreement, SelfManagementModel, Unit
from borderzone.periods import Period
from demo import records, registry, reviews
from demo.records_loader import load_records_demo
from incidents.models import CLEARED_STATUSES, Incident, Nature, Tip, TipStatus
from incidents.selectors import incident_list, tip_list
from patrols.models import Campaign, Checkpoint, Patrol, PatrolParticipation, PatrolStatus
from patrols.selectors import campaign_list, checkpoint_list, patrol_list
from reports.models import Award, Conference, ConferenceKind, RecipientKind

User = get_user_model()
Y2016, Y2017, Y2021, Y2023 = (Period.year(y) for y in (2016, 2017, 2021, 2023))


def user(username: str):
    return User.objects.get(username=username)


def agreement(number: str) -> Agreement:
    return Agreement.objects.get(number=number)


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def awards_by_kind(conference: Conference) -> Counter[str]:
    return Counter(conference.awards.values_list("recipient_kind", flat=True))


def record_counts() -> dict[str, int]:
    models = (Patrol, PatrolParticipation, Campaign, Checkpoint, Tip, Incident, Conference, Award)
    return {model._meta.label: model.objects.count() for model in models}


# Seed 004: Điện Bàn, three forces, 2023 ---------------------------------------------------------------


@pytest.mark.django_db
def test_004_tips_between_the_three_forces(demo_loaded):
    commander = user("dienban.chihuy")
    a = agreement(registry.NUMBER_004)
    police = unit("Công an thị xã Điện Bàn")
    military, border = unit("Ban Chỉ huy Quân sự thị xã Điện Bàn"), unit("Đồn Biên phòng Cửa Đại")

    def tips(**filters):
        return tip_list(user=commander, period=Y2023, agreement_id=a.pk, **filters)

    to_police = tips(from_unit_id=military.pk, to_unit_id=police.pk).count() + tips(
        from_unit_id=border.pk, to_unit_id=police.pk).count()
    assert to_police == 37  # "cung cấp ... 37 nguồn tin giá trị"
    assert tips(from_unit_id=police.pk).count() == 29  # "cung cấp cho quân sự 29 tin"
    assert tips().count() == 66
    joint = tips(jointly_verified=True)
    assert joint.count() == 44  # "phối hợp kiểm tra, xác minh 44 tin"
    assert set(joint.values_list("status", flat=True)) <= {TipStatus.TRUE, TipStatus.FALSE}
    # The border guard's commander sees only the tips his station sent or received.
    station = tip_list(user=user("cuadai.chihuy"), period=Y2023, agreement_id=a.pk)
    assert station.count() == 20 + 11
    assert not station.filter(from_unit=military).exists()
    # Another seed's commander sees none of them.
    assert not tip_list(user=user("songcau.chihuy"), agreement_id=a.pk).exists()


@pytest.mark.django_db
def test_004_incidents_the_37_tips_led_to(demo_loaded):
    commander = user("dienban.chihuy")
    a = agreement(registry.NUMBER_004)
    senders = [unit("Ban Chỉ huy Quân sự thị xã Điện Bàn"), unit("Đồn Biên phòng Cửa Đại")]
    rows = set(
        incident_list(user=commander, period=Y2023, agreement_id=a.pk)
        .filter(tips__from_unit__in=senders)
        .values_list("pk", "category__code", "source")
    )
    assert Counter(code for _pk, code, _source in rows) == {
        "danh-bac": 13, "su-dung-ma-tuy": 21, "to-chuc-su-dung-ma-tuy": 1, "van-chuyen-khoang-san": 2,
    }
    assert {source for _pk, _code, source in rows} == {"tip"}
    # One incident per tip.
    tips = Tip.objects.filter(agreement=a, from_unit__in=senders, received_at__year=2023)
    assert all(tip.incidents.count() == 1 for tip in tips)


@pytest.mark.django_db
def test_004_incidents_found_on_patrol(demo_loaded):
    commander = user("quansudienban.chihuy")
    a = agreement(registry.NUMBER_004)
    found = incident_list(user=commander, period=Y2023, agreement_id=a.pk).filter(
        source="patrol", patrols__programme=records.PROGRAMME_004
    )
    figures = {
        row["category__code"]: (row["n"], row["suspects"])
        for row in found.order_by().values("category__code").annotate(n=Count("id"), suspects=Sum("suspects"))
    }
    assert figures["tang-tru-ma-tuy"] == (2, 2)  # "2 vụ 2 đối tượng tàng trữ"
    assert figures["to-chuc-su-dung-ma-tuy"] == (1, 5)  # "1 vụ 5 đối tượng tổ chức sử dụng"
    assert figures["hop-cho-trai-phep"][0] == 10  # "giải tán 10 tụ điểm họp chợ trái phép"
    assert figures["danh-bac"] == (11, 59)  # "11 vụ 59 đối tượng đánh bạc"
    assert set(figures) == {"tang-tru-ma-tuy", "to-chuc-su-dung-ma-tuy", "hop-cho-trai-phep", "danh-bac"}
    assert all(i.jointly_handled for i in found)


@pytest.mark.django_db
def test_004_tuyen_bien_binh_yen_patrols(demo_loaded):
    commander = user("dienban.chihuy")
    a = agreement(registry.NUMBER_004)
    patrols = patrol_list(user=commander, period=Y2023, agreement_id=a.pk, programme="Tuyến biển bình yên")
    assert patrols.count() == 215  # "215 lượt"
    assert patrols.aggregate(total=Sum("officer_total"))["total"] == 1290  # "1.290 cán bộ chiến sĩ"
    # The three forces take part in every patrol, 2 officers each; the filter ignores diacritics.
    per_force = PatrolParticipation.objects.filter(patrol__in=patrols).values("unit__name").annotate(
        n=Count("id"), officers=Sum("officers"))
    assert {row["unit__name"]: (row["n"], row["officers"]) for row in per_force} == {
        "Công an thị xã Điện Bàn": (215, 430),
        "Ban Chỉ huy Quân sự thị xã Điện Bàn": (215, 430),
        "Đồn Biên phòng Cửa Đại": (215, 430),
    }
    assert patrol_list(user=commander, period=Y2023, agreement_id=a.pk, programme="tuyen bien binh yen").count() == 215
    assert set(patrols.values_list("status", flat=True)) == {PatrolStatus.CONFIRMED}
    assert Counter(patrols.values_list("lead_unit__name", flat=True)).most_common()[-1][1] >= 71


@pytest.mark.django_db
def test_004_conference_and_awards(demo_loaded):
    a = agreement(registry.NUMBER_004)
    conference = Conference.objects.get(agreement=a, held_on=datetime.date(2023, 12, 28))
    assert conference.kind == ConferenceKind.INTERIM
    assert conference.title == (
        "Hội nghị sơ kết công tác phối hợp thực hiện nhiệm vụ bảo vệ an ninh quốc gia, đảm bảo trật tự an toàn xã "
        "hội theo Nghị định 03/2019/NĐ-CP năm 2023"
    )
    assert conference.period_year == 2023
    assert awards_by_kind(conference) == {RecipientKind.COLLECTIVE: 4, RecipientKind.INDIVIDUAL: 7}
    assert set(conference.awards.values_list("authority", flat=True)) == {"UBND thị xã Điện Bàn"}
    assert conference.attending_units.count() == 3
    assert SelfManagementModel.objects.filter(agreement=a).count() == 139


# Seed 001: Sông Cầu – Qui Nhơn, 2017 ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["songcau.chihuy", "quinhon.chihuy"])
def test_001_figures_of_2017(demo_loaded, username):
    commander = user(username)
    a = agreement(registry.NUMBER_001)
    cluster = a.clusters.get()

    tips = tip_list(user=commander, period=Y2017, agreement_id=a.pk)
    joint = tips.filter(jointly_verified=True)
    assert joint.count() == 104 > 100  # "hơn 100 nguồn tin"
    assert set(joint.values_list("status", flat=True)) <= {TipStatus.TRUE, TipStatus.FALSE}
    assert set(tips.values_list("from_unit__name", flat=True)) == {"Công an thị xã Sông Cầu",
                                                                   "Công an thành phố Qui Nhơn"}

    assert campaign_list(user=commander, period=Y2017, agreement_id=a.pk).count() == 6  # "06 đợt cao điểm"
    assert all(c.name.startswith("Đợt cao điểm tấn công trấn áp tội phạm")
               for c in campaign_list(user=commander, period=Y2017, agreement_id=a.pk))

    criminal = incident_list(user=commander, period=Y2017, cluster_id=cluster.pk, nature=Nature.CRIMINAL)
    assert criminal.count() == 35
    solved = incident_list(
        user=commander, period=Y2017, solved_period=Y2017, cluster_id=cluster.pk, nature=Nature.CRIMINAL
    )
    assert solved.count() == criminal.filter(status__in=CLEARED_STATUSES).count() == 31  # "làm rõ 31/35 vụ"
    jointly = solved.filter(jointly_handled=True)
    assert jointly.count() == 24  # "trực tiếp phối hợp điều tra làm rõ 24 vụ"
    assert jointly.aggregate(n=Sum("suspects_dealt_with"))["n"] == 7  # "bắt xử lý 7 đối tượng"
    for incident in jointly.prefetch_related("supporting_units"):
        assert [u.name for u in incident.supporting_units.all()] != [incident.lead_unit.name]
        assert len(incident.supporting_units.all()) == 1


@pytest.mark.django_db
def test_001_conference_and_awards(demo_loaded):
    a = agreement(registry.NUMBER_001)
    conference = Conference.objects.get(agreement=a, kind=ConferenceKind.INTERIM, period_year=2017)
    assert conference.host_unit.name == "Công an thị xã Sông Cầu"
    assert "Sông Cầu" in conference.place
    assert awards_by_kind(conference) == {RecipientKind.COLLECTIVE: 4, RecipientKind.INDIVIDUAL: 10}
    # Qui Nhơn awarded Sông Cầu's people, Sông Cầu awarded Qui Nhơn's.
    pairs = set(conference.awards.values_list("authority", "recipient_unit__name"))
    assert pairs == {
        ("UBND thành phố Qui Nhơn", "Công an thị xã Sông Cầu"),
        ("UBND thị xã Sông Cầu", "Công an thành phố Qui Nhơn"),
    }


# Seed 003: Lệ Thủy – Vĩnh Linh, 2017 ----------------------------------------------------------------


@pytest.mark.django_db
def test_003_patrols_and_incidents(demo_loaded):
    commander = user("lethuy.chihuy")
    a = agreement(registry.NUMBER_003)
    cluster = a.clusters.get()

    patrols = patrol_list(user=commander, period=Y2017, cluster_id=cluster.pk)
    assert patrols.count() == 25  # "25 ca tuần tra chung"
    assert patrols.aggregate(n=Sum("officer_total"))["n"] == 156 > 150  # "hơn 150 lượt người"
    # Commune police of both districts in every patrol; the lead alternates between the sides.
    for patrol in patrols:
        sides = {p.unit.parent.name for p in patrol.participations.select_related("unit__parent")}
        assert sides == {"Công an huyện Lệ Thủy", "Công an huyện Vĩnh Linh"}
    leads = Counter(patrols.values_list("lead_unit__parent__name", flat=True))
    assert set(leads) == {"Công an huyện Lệ Thủy", "Công an huyện Vĩnh Linh"} and min(leads.values()) >= 12

    in_2016 = incident_list(user=commander, period=Y2016, cluster_id=cluster.pk).count()
    in_2017 = incident_list(user=commander, period=Y2017, cluster_id=cluster.pk).count()
    assert in_2016 - in_2017 == 13  # "giảm 13 vụ việc so với năm 2016"
    assert (in_2016, in_2017) == (41, 28)
    assert incident_list(user=user("vinhlinh.chihuy"), period=Y2017, cluster_id=cluster.pk).count() == 28

    campaigns = campaign_list(user=commander, period=Y2017, agreement_id=a.pk)
    assert [c.name for c in campaigns] == [records.CAMPAIGN_003]
    conference = Conference.objects.get(agreement=a, kind=ConferenceKind.FINAL, period_year=2017)
    assert conference.cluster == cluster
    assert awards_by_kind(conference) == {RecipientKind.COLLECTIVE: 2, RecipientKind.INDIVIDUAL: 4}


# Seed 000: Ngũ Hành Sơn – Điện Bàn, 2021 --------------------------------------------------------------


@pytest.mark.django_db
def test_000_covid_checkpoints_and_new_agreement(demo_loaded):
    commander = user("nguhanhson.chihuy")
    old, new = agreement(registry.NUMBER_000_OLD), agreement(registry.NUMBER_000_NEW)
    checkpoints = checkpoint_list(user=commander, agreement_id=old.pk).filter(purpose=records.COVID_PURPOSE)
    assert checkpoints.count() == 4
    assert {c.starts_on.year for c in checkpoints} == {2021}
    assert Counter(c.commune.parent.name for c in checkpoints) == {"Quận Ngũ Hành Sơn": 2, "Thị xã Điện Bàn": 2}
    assert tip_list(user=commander, period=Y2021, agreement_id=old.pk).exists()
    assert incident_list(user=commander, period=Y2021, agreement_id=old.pk).exists()

    conference = Conference.objects.get(agreement=old, held_on=datetime.date(2021, 12, 28))
    assert conference.kind == ConferenceKind.INTERIM and conference.period_year == 2021
    assert conference.new_agreement == new
    assert new.signed_on == conference.held_on


# Seed 002: Nho Quan – Thạch Thành, 2019 --------------------------------------------------------------


@pytest.mark.django_db
def test_002_signing_conference_and_mobile_team_patrols(demo_loaded):
    commander = user("nhoquan.chihuy")
    a = agreement(registry.NUMBER_002)
    conference = Conference.objects.get(agreement=a, kind=ConferenceKind.SIGNING)
    assert conference.held_on == datetime.date(2019, 8, 8)
    assert conference.place.startswith("UBND xã Phú Long")
    assert conference.attending_units.count() == 8

    patrols = patrol_list(user=commander, agreement_id=a.pk, programme=records.PROGRAMME_002)
    assert patrols.exists()
    assert min(patrols.values_list("started_at", flat=True)).date() >= datetime.date(2019, 8, 8)
    team = set(a.clusters.get().mobile_team.members.values_list("full_name", flat=True))
    for patrol in patrols:
        names = set(patrol.participants.values_list("full_name", flat=True))
        assert len(names) == 6 and names <= team
    # The commune police officer of Phú Long confirmed the patrols his unit took part in as partner.
    confirmed = patrols.filter(status=PatrolStatus.CONFIRMED)
    assert confirmed.exists()
    assert set(confirmed.values_list("confirmed_by__username", flat=True)) == {"phulong.canbo"}


# Everything ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_records_end_before_the_district_police_were_dissolved(demo_loaded):
    last_day = registry.DISTRICT_POLICE_LAST_DAY
    assert max(Patrol.objects.values_list("ended_at", flat=True)).date() <= last_day
    assert max(Tip.objects.values_list("received_at", flat=True)).date() <= last_day
    assert max(Incident.objects.values_list("occurred_at", flat=True)).date() <= last_day
    assert max(Conference.objects.values_list("held_on", flat=True)) <= last_day


@pytest.mark.django_db
def test_records_carry_the_system_as_author(demo_loaded):
    assert not Patrol.objects.exclude(created_by=None).exists()
    assert not Tip.objects.exclude(created_by=None).exists()
    assert not Incident.objects.exclude(created_by=None).exists()
    assert "vụ việc" in demo_loaded and "khen thưởng" in demo_loaded


@pytest.mark.django_db
def test_second_run_changes_nothing(demo_loaded):
    before = record_counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert record_counts() == before
    assert "không có gì thay đổi" in out.getvalue()
    assert set(load_records_demo().values()) == {0}
    assert set(reviews.load_review_demo().values()) == {0}

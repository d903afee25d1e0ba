"""Benchmark of the printed review report: a cluster with about 2,000 incidents in a year.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/borderzone python bench/report.py [--incidents 2000] [--runs 3]

The database must be migrated (``manage.py migrate``). Everything the benchmark writes — a
province, two districts, twelve communes, four units, an agreement with a cluster, ~2,000 incidents
of the year and ~1,700 of the year before, tips, patrols, a campaign, a conference with awards — is
written inside one transaction that is rolled back at the end, and the PDFs go to a temporary
MEDIA_ROOT, so the database and the media directory are left as they were.

The report is rendered through the same service path as on the page and in the worker
(``report_create`` → ``report_request_pdf``, which computes the figures → ``report_version_render``,
which builds the HTML and runs WeasyPrint); the render task is never sent (the transaction never
commits). Then WeasyPrint alone lays out the very same HTML. Printed: the total time, WeasyPrint's
time alone, their ratio, and the peak RSS of the process (``resource.getrusage``). A worker is a
long-running process: WeasyPrint and the fonts are loaded once and one run of the whole path is
made before measuring (``--warmup-runs``); both are printed but not counted.

Targets (docs/BENCHMARKS.md): ratio ≤ 1.3, total < 10 s, peak RSS < 400 MB. The exit code is 1
when one is missed.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderzone.settings.local")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from agreements.models import (  # noqa: E402
    AdministrativeUnit,
    AdminLevel,
    Agreement,
    AgreementParty,
    Cluster,
    ClusterMember,
    Era,
    Force,
    Officer,
    Role,
    Unit,
    UnitLevel,
)
from incidents.models import (  # noqa: E402
    CLEARED_STATUSES,
    Incident,
    IncidentCategory,
    IncidentSource,
    IncidentStatus,
    Tip,
    TipStatus,
)
from patrols.models import Campaign, Patrol  # noqa: E402
from reports import pdf, services  # noqa: E402
from reports.models import Award, Conference, ConferenceKind, RecipientKind, ReportKind  # noqa: E402

TARGET_RATIO = 1.3
TARGET_TOTAL = 10.0
TARGET_RSS_MB = 400
YEAR = 2023
CODE_BASE = 9_100_000  # far above every real administrative code, so no clash with imported geography
TZ = timezone.get_default_timezone()


class Rollback(Exception):
    pass


def at(day: datetime.date, seconds: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=TZ) + datetime.timedelta(seconds=seconds)


def random_moment(rng: random.Random, year: int) -> datetime.datetime:
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year + 1, 1, 1) - start).days
    return at(start + datetime.timedelta(days=rng.randrange(days)), rng.randrange(86400))


def build(incidents: int, seed: int = 7) -> dict:
    """The throwaway scene: returns the agreement, the cluster and a staff officer."""
    rng = random.Random(seed)
    au = AdministrativeUnit.objects
    province = au.create(era=Era.LEGACY, level=AdminLevel.PROVINCE, code=CODE_BASE, name="Tỉnh Đo Kiểm",
                         division_type="Tỉnh", codename="tinh_do_kiem")
    districts = [
        au.create(era=Era.LEGACY, level=AdminLevel.DISTRICT, code=CODE_BASE + 1 + i, name=f"Huyện Đo Kiểm {side}",
                  division_type="Huyện", codename=f"huyen_do_kiem_{i}", parent=province)
        for i, side in enumerate(("Bắc", "Nam"))
    ]
    names = ("Phú Long", "Kỳ Phú", "Cúc Phương", "Thành Vân", "Thành Công", "Thành Minh", "Điện Ngọc", "Điện Dương",
             "Điện Nam Bắc", "Điện Nam Đông", "Điện Nam Trung", "Điện Thắng Trung")
    communes = [
        au.create(era=Era.LEGACY, level=AdminLevel.COMMUNE, code=CODE_BASE + 10 + i, name=f"Xã {name}",
                  division_type="Xã", codename=f"xa_do_kiem_{i}", parent=districts[i % 2])
        for i, name in enumerate(names)
    ]
    police = [Unit.objects.create(name=f"Công an huyện Đo Kiểm {d.name[-3:]}", force=Force.POLICE,
                                  level=UnitLevel.DISTRICT, area=d) for d in districts]
    military = Unit.objects.create(name="Ban Chỉ huy Quân sự huyện Đo Kiểm", force=Force.MILITARY,
                                   level=UnitLevel.DISTRICT, area=districts[0])
    border = Unit.objects.create(name="Đồn Biên phòng Đo Kiểm", force=Force.BORDER_GUARD, level=UnitLevel.STATION,
                                 area=districts[1])
    units = [*police, military, border]
    agreement = Agreement.objects.create(number="ĐK/QCPH-2021", title="Quy chế phối hợp bảo đảm an ninh, trật tự "
                                         "vùng giáp ranh (đo kiểm hiệu năng)", signed_on=datetime.date(2021, 1, 5),
                                         effective_from=datetime.date(2021, 1, 5))
    parties = [AgreementParty.objects.create(agreement=agreement, unit=u, order=i, signatory_name="Nguyễn Văn Ký",
                                             signatory_position="Trưởng Công an huyện") for i, u in enumerate(units)]
    cluster = Cluster.objects.create(name="Cụm giáp ranh đo kiểm", agreement=agreement,
                                     established_on=datetime.date(2021, 1, 5))
    joined = datetime.date(2021, 1, 5)
    ClusterMember.objects.bulk_create(
        ClusterMember(cluster=cluster, commune=c, responsible_party=parties[i % 2], valid_from=joined)
        for i, c in enumerate(communes)
    )
    user = get_user_model().objects.create(username="bench.thammuu", first_name="Kim Oanh", last_name="Võ")
    staff = Officer.objects.create(user=user, unit=police[0], role=Role.STAFF).user

    categories = list(IncidentCategory.objects.all())
    weights = [max(1, 40 - 2 * i) for i in range(len(categories))]
    rows = []
    for year, count in ((YEAR, incidents), (YEAR - 1, int(incidents * 0.85))):
        for _ in range(count):
            occurred = random_moment(rng, year)
            category = rng.choices(categories, weights)[0]
            status = rng.choices(list(IncidentStatus), [2, 3, 8, 3, 3, 1, 2])[0]
            suspects = rng.choice((0, 1, 1, 2, 3, 5))
            rows.append(Incident(
                agreement=agreement, cluster=cluster, occurred_at=occurred, commune=rng.choices(communes,
                range(12, 0, -1))[0], category=category, nature=category.default_nature,
                lead_unit=rng.choice(police), source=rng.choice(list(IncidentSource)), status=status,
                solved_at=occurred + datetime.timedelta(days=rng.randrange(1, 60)) if status in CLEARED_STATUSES
                else None, suspects=suspects, suspects_dealt_with=rng.randrange(suspects + 1),
                jointly_handled=rng.random() < 0.3,
            ))
    Incident.objects.bulk_create(rows, batch_size=1000)
    tips = []
    for _ in range(incidents // 3):
        sender, receiver = rng.sample(units, 2)
        received = random_moment(rng, YEAR)
        tips.append(Tip(
            agreement=agreement, cluster=cluster, from_unit=sender, to_unit=receiver, received_at=received,
            category=rng.choice(categories), summary="Nguồn tin đo kiểm", commune=rng.choice(communes),
            status=rng.choice(list(TipStatus)), deadline=(received + datetime.timedelta(days=10)).date(),
            jointly_verified=rng.random() < 0.5,
        ))
    Tip.objects.bulk_create(tips, batch_size=1000)
    patrols = []
    for _ in range(incidents // 4):
        started = random_moment(rng, rng.choice((YEAR, YEAR, YEAR - 1)))
        patrols.append(Patrol(
            agreement=agreement, cluster=cluster, programme=rng.choice(("Tuyến biển bình yên", "Đêm giáp ranh an toàn",
                                                                         "")),
            started_at=started, ended_at=started + datetime.timedelta(hours=3), lead_unit=rng.choice(units),
            officer_total=rng.randrange(4, 13),
        ))
    Patrol.objects.bulk_create(patrols, batch_size=1000)
    Campaign.objects.create(agreement=agreement, cluster=cluster, name="Đợt cao điểm tấn công trấn áp tội phạm Tết",
                            starts_on=datetime.date(YEAR, 1, 5), ends_on=datetime.date(YEAR, 2, 20))
    conference = Conference.objects.create(agreement=agreement, cluster=cluster, kind=ConferenceKind.INTERIM,
                                           title=f"Hội nghị sơ kết năm {YEAR}", held_on=datetime.date(YEAR, 12, 20),
                                           host_unit=police[0], period_year=YEAR)
    Award.objects.bulk_create(
        Award(conference=conference, recipient_kind=RecipientKind.COLLECTIVE if i < 4 else RecipientKind.INDIVIDUAL,
              recipient=f"Tập thể, cá nhân đo kiểm {i + 1}", authority="UBND huyện Đo Kiểm Bắc")
        for i in range(11)
    )
    return {"agreement": agreement, "cluster": cluster, "staff": staff}


def warm_up(workdir: Path) -> float:
    """Load WeasyPrint, Pango and the fonts once (what a long-running worker has already done)."""
    started = time.perf_counter()
    html = (f"<html><head><style>{pdf.font_face_css()} body {{ font-family: '{pdf.FONT_FAMILY}' }}</style></head>"
            "<body><p>Khởi động: Cộng hòa xã hội chủ nghĩa Việt Nam</p><p><b>Đậm</b> <i>nghiêng</i></p></body></html>")
    pdf.html_to_pdf(html, workdir / "warm.pdf")
    return time.perf_counter() - started


def _weasy_alone(html: str, workdir: Path) -> float:
    gc.collect()
    started = time.perf_counter()
    pdf.html_to_pdf(html, workdir / "alone.pdf")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--warmup-runs", type=int, default=1,
                        help="lần chạy đầu không tính (nạp template, module biểu đồ… như một worker đã chạy)")
    args = parser.parse_args()

    with connection.cursor() as cursor:
        version = cursor.connection.info.server_version
    print(f"Cơ sở dữ liệu: {connection.settings_dict['NAME']} (PostgreSQL {version // 10000}.{version % 10000})")
    totals, alone, figures_times, ratios, pages = [], [], [], [], 0
    with tempfile.TemporaryDirectory(prefix="bz-bench-") as tmp, override_settings(MEDIA_ROOT=tmp):
        workdir = Path(tmp)
        try:
            with transaction.atomic():
                started = time.perf_counter()
                scene = build(args.incidents)
                # A live database has planner statistics for its tables; give the fresh rows theirs
                # (ANALYZE sees this transaction's own uncommitted rows).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE incidents_incident, incidents_tip, patrols_patrol, "
                                   "agreements_clustermember, reports_award, reports_conference")
                print(f"Dựng dữ liệu ({args.incidents} vụ việc năm {YEAR}, "
                      f"{Incident.objects.filter(cluster=scene['cluster']).count()} vụ cả hai năm): "
                      f"{time.perf_counter() - started:.1f} s")
                print(f"Khởi động WeasyPrint và phông chữ: {warm_up(workdir):.2f} s")
                report = services.report_create(
                    actor=scene["staff"], agreement=scene["agreement"], cluster=scene["cluster"],
                    kind=ReportKind.INTERIM, period_start=datetime.date(YEAR, 1, 1),
                    period_end=datetime.date(YEAR + 1, 1, 1), comparison_start=datetime.date(YEAR - 1, 1, 1),
                    comparison_end=datetime.date(YEAR, 1, 1), document_number="05/BC-ĐK", place="Đo Kiểm",
                    issued_on=datetime.date(YEAR, 12, 28), issuing_unit="Công an huyện Đo Kiểm Bắc",
                    situation="Năm 2023, tình hình an ninh, trật tự vùng giáp ranh cơ bản ổn định.",
                    lessons="Duy trì giao ban định kỳ.", directions="Tiếp tục tuần tra chung.",
                    limitations="Có lúc trao đổi thông tin chưa kịp thời.", recommendations="Bổ sung kinh phí.",
                )
                html = ""
                for run in range(-args.warmup_runs, args.runs):
                    # WeasyPrint alone runs just before and just after the service path, on the same
                    # HTML; their mean is compared with the path, so a load change on the machine
                    # during the run weighs on both sides alike.
                    before = _weasy_alone(html, workdir) if html else None
                    gc.collect()
                    t0 = time.perf_counter()
                    version = services.report_request_pdf(actor=scene["staff"], report=report)
                    t1 = time.perf_counter()
                    status = services.report_version_render(version_id=version.pk)
                    t2 = time.perf_counter()
                    assert status == "ready", status
                    version.refresh_from_db()
                    html, pages = version.html, version.page_count
                    after = _weasy_alone(html, workdir)
                    weasy_alone = (before + after) / 2 if before is not None else after
                    line = (f"tổng {t2 - t0:.2f} s (tính số liệu {t1 - t0:.2f} s), "
                            f"WeasyPrint riêng {weasy_alone:.2f} s, tỉ lệ {(t2 - t0) / weasy_alone:.2f}, {pages} trang")
                    if run < 0:
                        print(f"  chạy khởi động (không tính): {line}")
                        continue
                    alone.append(weasy_alone)
                    totals.append(t2 - t0)
                    figures_times.append(t1 - t0)
                    ratios.append(totals[-1] / alone[-1])
                    print(f"  lần {run + 1}: {line}")
                raise Rollback
        except Rollback:
            pass
    # Each run's ratio pairs two measurements taken seconds apart, so a load change on the machine
    # between runs cancels out; the median of the runs is reported.
    total, weasy, ratio = statistics.median(totals), statistics.median(alone), statistics.median(ratios)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    checks = [
        ("Tổng thời gian (trung vị)", f"{total:.2f} s", total < TARGET_TOTAL, f"< {TARGET_TOTAL:.0f} s"),
        ("WeasyPrint riêng (trung vị)", f"{weasy:.2f} s", True, ""),
        ("Tính số liệu (trung vị)", f"{statistics.median(figures_times):.2f} s", True, ""),
        ("Tỉ lệ tổng / WeasyPrint (trung vị)", f"{ratio:.2f}", ratio <= TARGET_RATIO, f"≤ {TARGET_RATIO}"),
        ("RSS đỉnh của tiến trình", f"{rss_mb:.0f} MB", rss_mb < TARGET_RSS_MB, f"< {TARGET_RSS_MB} MB"),
    ]
    load = os.getloadavg()[0]
    print(f"\nBáo cáo {pages} trang, {args.incidents} vụ việc trong năm, {args.runs} lần đo "
          f"(tải máy trung bình 1 phút: {load:.1f} trên {os.cpu_count()} lõi):")
    for label, value, ok, target in checks:
        mark = "" if not target else ("  đạt" if ok else "  KHÔNG ĐẠT")
        print(f"  {label:<36} {value:>10}   {target}{mark}")
    return 0 if all(ok for _l, _v, ok, _t in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

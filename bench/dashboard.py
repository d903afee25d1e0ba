#!/usr/bin/env python
"""Dashboard load test: gunicorn with production-like settings, N concurrent logged-in clients.

    python bench/dashboard.py --database-url postgres://postgres@127.0.0.1:5432/bz_scale \
        [--users 20 --seconds 20 --workers 4 --period "nam=2024"] [--small-database-url URL]

What it does, against a database filled by ``manage.py generate_data`` (any database with agreements works):

1. picks the agreement with the most incidents and one of its party units; creates (through
   ``agreements.services.officer_create``, once) a commander of that unit and an administrator, and
   logs both in by writing Django sessions (a cookie per user; no password round trip, no lock-out);
2. single requests in this process with an empty cache ("cold": the figures are counted), for the
   agreement, one of its clusters and the administrator's national dashboard, with their query counts;
3. starts gunicorn on a free loopback port (``bench.settings``: ``borderzone.settings.local`` with
   ``DJANGO_DEBUG=0``, persistent connections as production, and a file cache shared by the workers
   as Redis would be in production: Redis itself when ``REDIS_URL`` is set), warms the cache, then
   for ``--seconds`` each keeps ``--users`` connections busy without think time against, in turn:
   the agreement dashboard, the national dashboard, and a trivial logged-in page
   (``password_change_done``: same middleware, session and menu, no figures); prints throughput,
   p50, p95 for each and the ratios. The load comes from ``wrk`` when it is installed (``make
   bench-deps``; written in C, it leaves the two cores to the server), else from Python threads
   (``--client python``), which take a share of the CPU they measure;
4. with ``--small-database-url`` (e.g. 10,000 incidents), repeats step 2 there in a subprocess and
   prints the cold page time of the same pages at both scales.

Only 127.0.0.1 is contacted; every loop stops by itself after ``--seconds``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL_PATH = "/tai-khoan/doi-mat-khau/xong/"


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",  # borderzone.settings.local + a cache shared by the workers
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "bench-only-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def setup_django(database_url: str) -> None:
    os.environ.update(server_env(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Users and sessions -------------------------------------------------------------------------------


def _user(username: str, unit, role: str):
    from django.contrib.auth import get_user_model

    from agreements import services

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        officer = services.officer_create(
            actor=None, username=username, password=secrets.token_urlsafe(16), full_name=f"Đo tải {role}",
            unit=unit, role=role,
        )
        user = officer.user
    return user


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def prepare(period: str) -> dict:
    from django.db import connection
    from django.urls import reverse

    from agreements.models import Agreement, AgreementParty, Cluster, Role

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT agreement_id, count(*) FROM incidents_incident GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        )
        row = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM incidents_incident")
        total = cursor.fetchone()[0]
    if row is None:
        raise SystemExit("Cơ sở dữ liệu chưa có vụ việc nào: chạy manage.py generate_data trước.")
    agreement = Agreement.objects.get(pk=row[0])
    party = AgreementParty.objects.filter(agreement=agreement).select_related("unit").order_by("order", "pk").first()
    commander = _user(f"bench.chihuy.{agreement.pk}", party.unit, Role.COMMANDER)
    admin = _user("bench.quantri", party.unit, Role.ADMINISTRATOR)
    cluster = Cluster.objects.filter(agreement=agreement).order_by("pk").first()
    query = f"?{period}" if period else ""
    pages = {
        "agreement": reverse("reports:dashboard_agreement", kwargs={"pk": agreement.pk}) + query,
        "national": reverse("reports:dashboard_unit") + query,
    }
    if cluster is not None:
        pages["cluster"] = reverse("reports:dashboard_cluster", kwargs={"pk": cluster.pk}) + query
    return {
        "agreement": {"pk": agreement.pk, "number": agreement.number, "incidents": row[1]},
        "incidents_total": total,
        "pages": pages,
        "cookies": {"commander": session_cookie(commander), "admin": session_cookie(admin)},
        "users": {"commander": commander.pk, "admin": admin.pk},
    }


def cold_timings(setup: dict, repeat: int = 3) -> dict:
    """Single requests in this process with the cache emptied first: the figures are counted every time."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = get_user_model().objects.in_bulk(setup["users"].values())
    client = Client()
    out = {}
    for name, path in setup["pages"].items():
        who = "admin" if name == "national" else "commander"
        client.force_login(users[setup["users"][who]])
        times, queries = [], 0
        for _ in range(repeat):
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
            queries = len(ctx.captured_queries)
        client.get(path)
        warm_times = []
        for _ in range(10):
            started = time.perf_counter()
            client.get(path)
            warm_times.append(time.perf_counter() - started)
        warm = statistics.median(warm_times)
        out[name] = {"cold_ms": round(statistics.median(times) * 1000, 1), "queries": queries,
                     "warm_ms": round(warm * 1000, 1)}
    return out


# Load ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, cookie: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def load(port: int, path: str, cookie: str, users: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        mine, failed = [], 0
        while time.monotonic() < deadline:
            status, took = get(port, path, cookie)
            if status == 200:
                mine.append(took)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies), "errors": errors[0], "throughput": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1), "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
    }


# wrk prints one JSON line from its Lua "done" hook: latency percentiles in microseconds.
WRK_SCRIPT = """
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def load_wrk(port: int, path: str, cookie: str, users: int, seconds: float) -> dict:
    """The same measurement as :func:`load`, by wrk: ``users`` connections, each sending its next request
    as soon as the previous answer arrived (gunicorn's sync workers close every connection, so wrk
    reconnects each time, as the Python client does)."""
    script = Path("/tmp") / f"borderzone-bench-{os.getpid()}.lua"
    script.write_text(WRK_SCRIPT)
    try:
        output = subprocess.run(
            ["wrk", "-t", "2", "-c", str(users), "-d", f"{max(1, round(seconds))}s", "--timeout", "60s",
             "-s", str(script), f"http://127.0.0.1:{port}{path}"],
            env={**os.environ, "BENCH_COOKIE": cookie}, capture_output=True, text=True, check=True,
        ).stdout
    finally:
        script.unlink(missing_ok=True)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    r = json.loads(line[len("BENCH "):])
    errors = r["non_2xx"] + r["socket_errors"]
    return {
        "requests": r["requests"] - r["non_2xx"], "errors": errors,
        "throughput": round((r["requests"] - r["non_2xx"]) / (r["duration_us"] / 1e6), 1),
        "p50_ms": round(r["p50_us"] / 1000, 1), "p95_ms": round(r["p95_us"] / 1000, 1),
        "p99_ms": round(r["p99_us"] / 1000, 1),
    }


def start_gunicorn(database_url: str, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "borderzone.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--log-level", "warning", "--timeout", "120",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=server_env(database_url))
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit("gunicorn did not start")
        status, _took = get(port, "/tai-khoan/dang-nhap/", "")
        if status == 200:
            return process, port
        time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


def warm_up(port: int, setup: dict, workers: int) -> None:
    """One request per page fills the shared cache; then every worker gets a few (templates, connections)."""
    jobs = [(path, setup["cookies"]["admin" if name == "national" else "commander"])
            for name, path in setup["pages"].items()]
    jobs.append((TRIVIAL_PATH, setup["cookies"]["commander"]))
    for path, cookie in jobs:
        get(port, path, cookie)
    for path, cookie in jobs:
        threads = [threading.Thread(target=get, args=(port, path, cookie)) for _ in range(workers * 3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} CPU ({cpu}){memory}, load average {os.getloadavg()[0]:.1f} at start"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--small-database-url", help="a second, smaller database (e.g. 10,000 incidents)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    # One sync worker per core: the pages are CPU-bound and PostgreSQL shares the cores; more workers
    # only add context switches (4 workers on 2 cores measured 10-15 % fewer requests per second).
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--period", default="nam=2024", help='query string of the period picker, e.g. "nam=2024"')
    parser.add_argument("--cold-only", action="store_true", help="only the single cold requests (JSON)")
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python",
                        help="load generator (default: wrk when installed)")
    args = parser.parse_args()

    setup_django(args.database_url)
    setup = prepare(args.period)
    cold = cold_timings(setup)
    if args.cold_only:
        print(json.dumps({"incidents_total": setup["incidents_total"], "agreement": setup["agreement"],
                          "cold": cold}))
        return

    print(f"Máy: {machine()}")
    print(f"Dữ liệu: {setup['incidents_total']:,} vụ việc; quy chế đo: {setup['agreement']['number']} "
          f"(#{setup['agreement']['pk']}, {setup['agreement']['incidents']:,} vụ việc); kỳ: {args.period}")
    print("\nMột yêu cầu, bộ nhớ đệm trống (đếm lại số liệu) / lần sau (từ bộ nhớ đệm):")
    for name, row in cold.items():
        print(f"  {name:10s} cold {row['cold_ms']:8.1f} ms  ({row['queries']} truy vấn)   "
              f"warm {row['warm_ms']:6.1f} ms")
    ratio = cold["national"]["cold_ms"] / cold["agreement"]["cold_ms"]
    print(f"  national/agreement cold: {ratio:.2f}×")

    process, port = start_gunicorn(args.database_url, args.workers, args.threads)
    try:
        warm_up(port, setup, args.workers)
        runs = {
            "agreement": (setup["pages"]["agreement"], setup["cookies"]["commander"]),
            "national": (setup["pages"]["national"], setup["cookies"]["admin"]),
            "trivial": (TRIVIAL_PATH, setup["cookies"]["commander"]),
        }
        results = {}
        print(f"\ngunicorn {args.workers} worker × {args.threads} thread, {args.users} người dùng đồng thời, "
              f"{args.seconds:g} s mỗi trang, tải từ {args.client}:")
        run_load = load_wrk if args.client == "wrk" else load
        for name, (path, cookie) in runs.items():
            results[name] = run_load(port, path, cookie, args.users, args.seconds)
            r = results[name]
            print(f"  {name:10s} {r['throughput']:7.1f} req/s  p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
                  f"p99 {r['p99_ms']:7.1f} ms  ({r['requests']} yêu cầu, {r['errors']} lỗi)  {path}")
        trivial = results["trivial"]
        for name in ("agreement", "national"):
            print(f"  {name}/trivial p95: {results[name]['p95_ms'] / trivial['p95_ms']:.2f}×, "
                  f"p50: {results[name]['p50_ms'] / trivial['p50_ms']:.2f}×")
        print(f"  national/agreement p95: {results['national']['p95_ms'] / results['agreement']['p95_ms']:.2f}×")
    finally:
        process.terminate()
        process.wait(timeout=30)

    if args.small_database_url:
        output = subprocess.run(
            [sys.executable, __file__, "--database-url", args.small_database_url, "--period", args.period,
             "--cold-only"],
            cwd=ROOT, env=server_env(args.small_database_url), capture_output=True, text=True, check=True,
        ).stdout.strip().splitlines()[-1]
        small = json.loads(output)
        print(f"\nCùng trang trên dữ liệu nhỏ ({small['incidents_total']:,} vụ việc) và lớn "
              f"({setup['incidents_total']:,} vụ việc), một yêu cầu:")
        for name in cold:
            if name in small["cold"]:
                a, b = small["cold"][name], cold[name]
                print(f"  {name:10s} cold {a['cold_ms']:8.1f} → {b['cold_ms']:8.1f} ms "
                      f"({b['cold_ms'] / a['cold_ms']:.2f}×), "
                      f"warm {a['warm_ms']:6.1f} → {b['warm_ms']:6.1f} ms ({b['warm_ms'] / a['warm_ms']:.2f}×), "
                      f"truy vấn {a['queries']} → {b['queries']}")


if __name__ == "__main__":
    main()

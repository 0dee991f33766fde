"""Fault drill: restart PostgreSQL under load; requests must recover.

The shared PostgreSQL cluster is never touched: the drill creates a PRIVATE
cluster under /tmp (initdb as user postgres, its own port and socket folder),
migrates a database there, imports the real CN patents
(data/cn_patents_zh), starts gunicorn on it and keeps ``--clients`` threads
requesting the home page, real patent pages and /health/ while it restarts
the private server (``pg_ctl restart -m fast``: every backend is killed, the
server is down for a moment, then accepts connections again).

    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/fault_postgres_restart.py

Reports per phase (before / during / after the restart) the answers by status,
the time from the restart until every client got 200 again, and fails when a
request after recovery is not 200. Everything it started is stopped at the end.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
VENV = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*cmd: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *cmd], check=check, capture_output=True, text=True
    )


def _wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--before", type=float, default=15, help="seconds of load before")
    parser.add_argument("--after", type=float, default=30, help="seconds of load after")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="trust-pgdrill-"))
    data, sockets = base / "data", base / "sock"
    shutil.chown(base, "postgres")
    pg_port, web_port = _free_port(), _free_port()
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    sockets.mkdir()
    shutil.chown(sockets, "postgres")
    log = base / "postgres.log"
    pg_opts = f"-p {pg_port} -k {sockets} -c listen_addresses=127.0.0.1"

    def pg_ctl(*what: str) -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", *what)

    web = None
    try:
        pg_ctl("-o", pg_opts, "start")
        _as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(pg_port), "portal")
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/portal",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "LOG_LEVEL": "ERROR",
        }
        manage = [str(VENV / "python"), "manage.py"]
        t0 = time.monotonic()
        subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [
                *manage,
                "import_patents",
                "data/cn_patents_zh/cn_patent_titles_ipc_subclasses.csv",
                "--format",
                "cn-title-ipc",
            ],
            cwd=ROOT,
            env={**env, "REDIS_URL": ""},
            check=True,
            capture_output=True,
        )
        numbers = subprocess.run(
            [
                str(VENV / "python"),
                "-c",
                "import django; django.setup(); from patents.models import Patent; "
                "print('\\n'.join(Patent.objects.values_list('publication_number', "
                "flat=True)[:500]))",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        print(
            f"private cluster on port {pg_port}: migrated and {len(numbers)} patents sampled "
            f"in {time.monotonic() - t0:.0f} s",
            flush=True,
        )
        web = subprocess.Popen(
            [
                str(VENV / "gunicorn"),
                "portal.wsgi:application",
                "-b",
                f"127.0.0.1:{web_port}",
                "-w",
                "3",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            stdout=(base / "gunicorn.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        host = f"http://127.0.0.1:{web_port}"
        _wait_http(host + "/")

        results: list[tuple[float, str, int]] = []
        lock = threading.Lock()
        stop = threading.Event()
        start = time.monotonic()

        def client() -> None:
            while not stop.is_set():
                path = random.choice(
                    ["/", f"/patents/{random.choice(numbers)}/", "/health/"]
                    if numbers
                    else ["/", "/health/"]
                )
                kind = "health" if path == "/health/" else "page"
                try:
                    status = urllib.request.urlopen(host + path, timeout=10).status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                except OSError:
                    status = 0  # connection refused / timeout
                with lock:
                    results.append((time.monotonic() - start, kind, status))
                time.sleep(random.uniform(0.05, 0.2))

        threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        restart_at = time.monotonic() - start
        pg_ctl("-o", pg_opts, "-m", "fast", "restart")
        back_at = time.monotonic() - start
        print(
            f"t={restart_at:.1f}s pg_ctl restart -m fast; accepting again at t={back_at:.1f}s",
            flush=True,
        )
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    finally:
        if web is not None:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(timeout=30)
        pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)

    # Recovery: the first moment after the restart from which every answer of a
    # page is 200 (health may say 503 while Celery has no worker: not counted).
    pages = [(t, s) for t, kind, s in results if kind == "page"]
    after = [(t, s) for t, s in pages if t >= restart_at]
    last_bad = max((t for t, s in after if s != 200), default=restart_at)
    recovered = last_bad - restart_at
    phases = {
        "before": [s for t, s in pages if t < restart_at],
        "during": [s for t, s in pages if restart_at <= t <= last_bad],
        "after": [s for t, s in pages if t > last_bad],
    }
    for name, statuses in phases.items():
        counts = dict(sorted(collections.Counter(statuses).items()))
        print(f"  {name:6} {len(statuses):5} page requests  {counts}")
    health_after = [s for t, kind, s in results if kind == "health" and t > last_bad + 1]
    print(f"  health after recovery: {dict(collections.Counter(health_after))}")
    print(f"recovered {recovered:.1f} s after the restart began (pages all 200 from then on)")
    ok = (
        phases["before"]
        and all(s == 200 for s in phases["before"])
        and len(phases["after"]) > args.clients
        and recovered < args.after - 5
    )
    errors_500 = sum(1 for _t, s in pages if s >= 500 and s != 503)
    print(f"  answers 500 (unhandled) during the whole run: {errors_500}")
    print("OK: requests recovered" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

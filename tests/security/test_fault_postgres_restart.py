"""PostgreSQL restarted under load: requests recover by themselves.

The shared PostgreSQL (the test database, other engineers' databases) is never
touched. The test starts a PRIVATE throwaway cluster (``initdb`` + ``pg_ctl``
from /usr/lib/postgresql/15/bin, in a temporary folder, on a free port; as user
postgres when run as root, since initdb refuses root), copies the migrated test
database's schema into it (``pg_dump | pg_restore``; ``migrate`` when the suite
runs on SQLite), imports a small real file (data/cn_patents_zh, 34 patents), and
starts gunicorn on it with the production settings (``CONN_MAX_AGE`` 60 s with
``CONN_HEALTH_CHECKS``, ``DatabaseUnavailableMiddleware``). Client threads request
the home page and real patent pages while the private server is restarted with
``pg_ctl restart -m fast`` (every backend killed, pooled connections broken).

"Recover" means: from at most ``RECOVERY_LIMIT`` seconds after the server accepts
connections again, every request answers 200 and keeps doing so; and no request
of the whole run answers 500 (while the database is down a page answers 503
"try again later" with Retry-After, never an error page).

Skipped, with the reason, only when the PostgreSQL 15 server binaries are not
installed. bench/fault_postgres_restart.py is the longer drill (10 clients,
the 7,798 real CN records, 45 s).
"""

from __future__ import annotations

import collections
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
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
CLIENTS = 4
BEFORE_SECONDS = 4
STABLE_SECONDS = 8  # every answer 200 for this long after recovery
RECOVERY_LIMIT = 15  # seconds after the server accepts connections again
REAL_FILE = "data/cn_patents_zh/cn_g06f_patents_chinese_headers.xlsx"

pytestmark = pytest.mark.skipif(
    not all((PG_BIN / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")),
    reason=f"PostgreSQL server binaries not found in {PG_BIN} (Debian: postgresql-15)",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateCluster:
    """A throwaway PostgreSQL cluster in a temporary folder on a free port."""

    def __init__(self) -> None:
        self.as_root = os.geteuid() == 0
        # Not pytest's tmp_path: it is private to root, and the server runs as postgres.
        self.base = Path(tempfile.mkdtemp(prefix="pg-fault-"))
        self.data, self.sockets, self.log = (
            self.base / "data",
            self.base / "sock",
            self.base / "postgres.log",
        )
        self.sockets.mkdir()
        if self.as_root:
            for path in (self.base, self.sockets):
                shutil.chown(path, "postgres")
        self.port = _free_port()
        self.options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        )

    def run(self, *cmd: str, **kwargs) -> subprocess.CompletedProcess:
        # initdb and postgres refuse to run as root: drop to the postgres user.
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run(
            [*prefix, *cmd], check=True, capture_output=True, text=True, timeout=120, **kwargs
        )

    def pg_ctl(self, *args: str) -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", *args)

    def init_and_start(self) -> None:
        self.run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-N"
        )
        self.pg_ctl("-o", self.options, "start")

    def restart(self) -> None:
        self.pg_ctl("-o", self.options, "-m", "fast", "restart")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def client_backends(self, database: str) -> int:
        import psycopg2

        with (
            psycopg2.connect(
                host="127.0.0.1", port=self.port, user="postgres", dbname=database
            ) as conn,
            conn.cursor() as cursor,
        ):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                [database],
            )
            count = cursor.fetchone()[0]
        conn.close()
        return count

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def private_cluster():
    cluster = PrivateCluster()
    try:
        cluster.init_and_start()
        yield cluster
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"{exc.cmd}: {exc.stderr}\n{cluster.log.read_text(errors='replace')}")
    finally:
        cluster.destroy()


def _portal_database(cluster: PrivateCluster, env: dict) -> None:
    """Create the portal's schema in the private cluster and import real patents."""
    python = [sys.executable, "manage.py"]
    import psycopg2

    admin = psycopg2.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("CREATE DATABASE portal")
    admin.close()
    if connection.vendor == "postgresql":
        # The migrated test database's schema: seconds, where `migrate` takes a minute.
        db = connection.settings_dict
        dump = subprocess.run(
            [
                "pg_dump",
                "-h",
                db["HOST"] or "127.0.0.1",
                "-p",
                str(db["PORT"] or 5432),
                "-U",
                db["USER"],
                "--schema-only",
                "--no-owner",
                "-Fc",
                db["NAME"],
            ],
            env={**os.environ, "PGPASSWORD": db["PASSWORD"] or ""},
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        subprocess.run(
            [
                "pg_restore",
                *("-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres"),
                *("--no-owner", "--exit-on-error", "-d", "portal"),
            ],
            input=dump,
            check=True,
            capture_output=True,
            timeout=120,
        )
    else:
        subprocess.run(
            [*python, "migrate", "-v", "0"], cwd=settings.BASE_DIR, env=env, check=True, timeout=600
        )
    subprocess.run(
        [*python, "import_patents", REAL_FILE, "--format", "table"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def _wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer")


def _status(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0  # refused or timed out: counted as a failure, like a 5xx


def test_requests_recover_after_postgres_restart(private_cluster, tmp_path, django_db_setup):
    # django_db_setup: the migrated test database exists, so its schema can be copied.
    cluster = private_cluster
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.security.fault_server_settings",
        "DATABASE_URL": cluster.url("portal"),
        # The database is the only service under test: local cache, eager tasks.
        "REDIS_URL": "",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for name in ("CONN_MAX_AGE", "CELERY_VISIBILITY_TIMEOUT"):
        env.pop(name, None)  # production defaults
    _portal_database(cluster, env)
    numbers = (
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from patents.models import Patent; "
                "print(*Patent.objects.values_list('publication_number', flat=True)[:20])",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        .stdout.strip()
        .split()
    )
    assert numbers, "the real file imported no patent"
    paths = ["/", *(f"/patents/{n}/" for n in numbers)]

    web_port = _free_port()
    server_log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi:application",
            "-b",
            f"127.0.0.1:{web_port}",
            "-w",
            "2",
            "--timeout",
            "30",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    host = f"http://127.0.0.1:{web_port}"
    results: list[tuple[float, str, int]] = []
    lock = threading.Lock()
    stop = threading.Event()
    try:
        _wait_http(host + "/")
        start = time.monotonic()

        def client(offset: int) -> None:
            i = offset
            while not stop.is_set():
                path = paths[i % len(paths)]
                i += 1
                status = _status(host + path)
                with lock:
                    results.append((time.monotonic() - start, path, status))
                time.sleep(0.05)

        threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(BEFORE_SECONDS)
        # The production settings keep connections open between requests
        # (CONN_MAX_AGE): the restart breaks them under the workers' feet.
        pooled = cluster.client_backends("portal")
        restart_at = time.monotonic() - start
        cluster.restart()
        back_at = time.monotonic() - start
        # Run until every client has had STABLE_SECONDS of 200s, or the limit passes.
        deadline = back_at + RECOVERY_LIMIT + STABLE_SECONDS
        while time.monotonic() - start < deadline:
            time.sleep(0.5)
            with lock:
                after = [(t, s) for t, _p, s in results if t > back_at]
            last_bad = max((t for t, s in after if s != 200), default=back_at)
            if time.monotonic() - start - last_bad >= STABLE_SECONDS:
                break
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    finally:
        stop.set()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        server_log.close()

    log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    before = [s for t, _p, s in results if t < restart_at]
    after = [(t, s) for t, _p, s in results if t >= restart_at]
    last_bad = max((t for t, s in after if s != 200), default=back_at)
    recovered = [s for t, s in after if t > last_bad]
    summary = (
        f"restart {restart_at:.1f}-{back_at:.1f}s, last non-200 at {last_bad:.1f}s; "
        f"before {collections.Counter(before)}, after {collections.Counter(s for _t, s in after)}"
    )
    print(summary)
    assert pooled >= 1, "no pooled connection was open: the restart broke nothing"
    assert before and set(before) == {200}, summary
    # Recovered within the limit, and stayed recovered.
    assert last_bad - back_at <= RECOVERY_LIMIT, summary
    assert len(recovered) >= CLIENTS and set(recovered) == {200}, summary
    # Never an error page: during the outage only 503 "try again later".
    assert not [s for _t, _p, s in results if s not in (200, 503)], summary + "\n" + log[-3000:]

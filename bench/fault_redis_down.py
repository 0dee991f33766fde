"""Fault drill: stop Redis under a running portal, then start it again.

Starts a private redis-server on a free loopback port (never the shared one),
points the portal at it, and requests public pages, a rate-limited form and
/health/ before, during and after the outage. Expected: pages 200 throughout;
the form works, then answers 503 "try later", then works again; health shows
Redis down only during the outage.

    DATABASE_URL=postgres://.../portal_trust .venv/bin/python bench/fault_redis_down.py
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def main() -> int:
    port = _free_port()
    redis = _start_redis(port)
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.test import Client

    from patents.models import Patent

    number = Patent.objects.values_list("publication_number", flat=True).first()
    client = Client(HTTP_HOST="localhost")
    form = {
        "kind": "access",
        "name": "压测",
        "contact": "load@example.org",
        "description": "fault drill",
        "agree": "on",
    }

    def probe(phase: str) -> None:
        results = {}
        for label, call in (
            ("home", lambda: client.get("/")),
            ("patent", lambda: client.get(f"/patents/{number}/")),
            ("form GET", lambda: client.get("/privacy/requests/new/")),
            ("form POST", lambda: client.post("/privacy/requests/new/", form)),
        ):
            started = time.perf_counter()
            response = call()
            results[label] = (
                f"{response.status_code} ({(time.perf_counter() - started) * 1000:.0f} ms)"
            )
        health = client.get("/health/").json()["checks"]["redis"]["ok"]
        print(
            f"{phase:16} "
            + "  ".join(f"{k}: {v}" for k, v in results.items())
            + f"  health.redis ok={health}"
        )

    probe("redis up")
    redis.terminate()
    redis.wait(timeout=10)
    probe("redis stopped")
    probe("redis stopped")
    redis = _start_redis(port)
    from django.core.cache import cache

    cache.clear()
    probe("redis restarted")
    redis.terminate()
    redis.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A real Celery worker process for the fault drill (bench/fault_celery_kill.py) and
the fault test (tests/test_celery_worker_import.py): one solo-pool worker on one
queue, in its own process group so a SIGKILL reaches all of it.

No Django at module import, so tests can use it inside their configured process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_solo_worker(*, queue: str, name: str, env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "-n",
            f"{name}@%h",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

"""Fault drill: kill the Celery worker in the middle of a 100k-row import, restart
it, and check that the import completes with every row exactly once.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_trust
    export REDIS_URL=redis://127.0.0.1:6379/8
    .venv/bin/python bench/fault_celery_kill.py --rows 100000

What it does:
1. Writes a CN title/IPC CSV of ``--rows`` rows DERIVED FROM REAL RECORDS
   (bench/derived_records.py, the derivation of bench/import_bench.py): the real
   records of data/cn_patents_zh/cn_patent_titles_ipc_subclasses.csv replayed
   round-robin with new publication numbers (CN9RRxxxxxx, a serial range no real
   record uses) and the dataset label ``fault-drill-<run>``.
2. Queues it as an ``ImportJob`` (the upload path staff use) on a queue of its
   own and starts a real ``celery worker`` (solo pool) against Redis.
3. When the job has read ``--kill-at`` of the file, sends the worker SIGKILL
   (no warm shutdown, no ack), waits a moment and starts a fresh worker.
4. Waits for the job to succeed (Redis redelivers the unacknowledged task once
   the visibility timeout, shortened to ``--visibility-timeout`` s for the
   drill, has passed) and checks: patents of the run = rows, each publication
   number once, classification and applicant rows not duplicated, the job
   counts every row.

Exits non-zero when any check fails.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.celery_worker import start_solo_worker  # noqa: E402
from bench.derived_records import SERIAL_BASE, write_cn_title_ipc_file  # noqa: E402
from patents.models import ImportJob, Patent  # noqa: E402
from patents.services import import_job_create  # noqa: E402
from portal.celery import app  # noqa: E402


def start_worker(queue: str, env: dict, log) -> subprocess.Popen:
    return start_solo_worker(queue=queue, name=f"{queue}-{uuid.uuid4().hex[:4]}", env=env, log=log)


def job_state(job_id: int) -> ImportJob:
    return ImportJob.objects.get(pk=job_id)


def _print(*args):
    print(*args, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kill-at", type=float, default=0.4, help="fraction of bytes read")
    parser.add_argument("--visibility-timeout", type=int, default=20)
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL must point at a Redis database of your own")
    call_command("migrate", verbosity=0)

    run = int(time.time()) % 100
    dataset = f"fault-drill-{run:02d}"
    queue = f"fault-drill-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    Patent.objects.filter(source_dataset=dataset).delete()
    workdir = Path(tempfile.mkdtemp(prefix="fault-celery-"))
    source = workdir / f"{dataset}.csv"
    write_cn_title_ipc_file(source, rows=args.rows, serial_base=SERIAL_BASE + run * 1_000_000)
    _print(f"derived file: {args.rows} rows, {source.stat().st_size / 1e6:.1f} MB, queue {queue}")

    db = connection.settings_dict
    env = {
        **os.environ,
        "CELERY_VISIBILITY_TIMEOUT": str(args.visibility_timeout),
        "CELERY_UNACKED_RESTORE_INTERVAL": "2",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
    }
    log = (workdir / "worker.log").open("w")
    worker = start_worker(queue, env, log)
    try:
        return drill(args, queue, env, log, worker, source, dataset)
    finally:
        if worker_box and worker_box[-1].poll() is None:
            os.killpg(worker_box[-1].pid, signal.SIGKILL)


worker_box: list[subprocess.Popen] = []


def drill(args, queue, env, log, worker, source, dataset) -> int:
    worker_box.append(worker)
    with source.open("rb") as handle, transaction.atomic():
        job = import_job_create(
            uploaded_file=File(handle, name=source.name),
            format="cn-title-ipc",
            options={"dataset": dataset},
        )
    started = time.monotonic()
    _print(f"job {job.pk} queued")

    # 1. Kill the worker once it is well into the file.
    killed_at = None
    while time.monotonic() - started < args.timeout:
        state = job_state(job.pk)
        done = state.bytes_done / state.bytes_total if state.bytes_total else 0
        rows_now = Patent.objects.filter(source_dataset=dataset).count()
        if state.status == ImportJob.Status.RUNNING and done >= args.kill_at:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            killed_at = time.monotonic() - started
            _print(
                f"t={killed_at:.0f}s SIGKILL worker at {done:.0%} of the file, "
                f"{rows_now} patents written, job status {state.status}"
            )
            break
        if state.status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED):
            _print(f"job ended before the kill ({state.status}); raise --rows or lower --kill-at")
            return 2
        time.sleep(0.5)
    else:
        _print("timed out before the kill")
        return 2

    time.sleep(2)
    state = job_state(job.pk)
    _print(f"worker dead: job status {state.status} (a killed worker records nothing)")
    worker = start_worker(queue, env, log)
    worker_box.append(worker)
    restarted_at = time.monotonic() - started
    _print(f"t={restarted_at:.0f}s fresh worker started")

    # 2. Wait for the redelivered task to finish the job.
    try:
        while time.monotonic() - started < args.timeout:
            state = job_state(job.pk)
            if state.status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED):
                break
            time.sleep(1)
        finished_at = time.monotonic() - started
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        log.close()

    # 3. Exactly once?
    patents = Patent.objects.filter(source_dataset=dataset)
    total = patents.count()
    distinct = patents.values("publication_number").distinct().count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT (patent_id, code)) FROM patents_patentclassification "
            "WHERE patent_id IN (SELECT id FROM patents_patent WHERE source_dataset = %s)",
            [dataset],
        )
        classifications, distinct_classifications = cursor.fetchone()
    _print(
        f"t={finished_at:.0f}s job {state.status}: read {state.rows_read}, created "
        f"{state.rows_created}, updated {state.rows_updated}, rejected {state.rows_rejected}"
    )
    _print(
        f"patents of the run: {total} (distinct numbers {distinct}, expected {args.rows}); "
        f"classification rows {classifications} (distinct {distinct_classifications})"
    )
    checks = {
        "job succeeded": state.status == ImportJob.Status.SUCCEEDED,
        "every row imported": total == args.rows,
        "each number once": distinct == total,
        "no duplicated classification": classifications == distinct_classifications,
        "job counted every row": state.rows_read == args.rows and state.rows_rejected == 0,
    }
    for name, ok in checks.items():
        _print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    _print(f"worker log: {log.name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

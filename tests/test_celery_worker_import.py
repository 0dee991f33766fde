"""End to end through a REAL Celery worker and the real Redis broker: an uploaded
import is queued on commit, a worker process picks it up, imports into the same
database and records the outcome.

Skipped only when REDIS_URL is unset (embedded mode has no broker); CI sets it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from patents.models import ImportJob, Patent
from patents.services import import_job_create

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set"),
]


@pytest.fixture
def worker(settings, tmp_path):
    """A `celery worker` subprocess on a queue of its own, sharing the test database
    and media folder with this process."""
    from portal.celery import app

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in (":memory:", ""):
        pytest.skip("a worker process cannot share an in-memory SQLite test database")
    queue = f"test-import-{uuid.uuid4().hex[:8]}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
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
            f"{queue}@%h",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"worker exited: {(tmp_path / 'worker.log').read_text()}")
            if "ready" in (tmp_path / "worker.log").read_text():
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"worker not ready: {(tmp_path / 'worker.log').read_text()}")
        yield tmp_path / "worker.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        app.conf.task_default_queue = previous_queue


@pytest.mark.django_db(transaction=True)
def test_uploaded_import_runs_on_a_real_worker(worker, data_dir):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    content = (data_dir / "cn_patents_zh" / "cn_g06f_patents_chinese_headers.xlsx").read_bytes()
    with transaction.atomic():
        job = import_job_create(
            uploaded_file=SimpleUploadedFile("cn_g06f.xlsx", content), format="table"
        )
        # Queued on commit only: nothing runs while the job row is invisible.
        assert job.status == ImportJob.Status.QUEUED

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED):
            break
        time.sleep(0.5)
    log = worker.read_text()
    assert job.status == ImportJob.Status.SUCCEEDED, (job.failure, log)
    assert (job.rows_read, job.rows_created, job.rows_updated, job.rows_rejected) == (57, 34, 0, 23)
    assert job.error_report and job.error_report.storage.exists(job.error_report.name)
    assert job.started_at and job.finished_at and job.progress_percent == 100
    assert Patent.objects.filter(import_job=job).count() == 34
    assert "patents.import_job_run" in log and "succeeded" in log

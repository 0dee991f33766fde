"""Writes of the patent schema: imports and reference data."""

from __future__ import annotations

import contextlib
import logging
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.background import task_enqueue
from portal.uploads import UploadKind

from .hooks import after_import_run
from .importing.run import ImportOutcome, ProgressCallback, import_file
from .importing.source import ImportFileError
from .models import ImportJob

logger = logging.getLogger(__name__)

# Write progress to the job row at most this often (bytes), not per batch.
_PROGRESS_STEP = 1 << 20


def patent_import_file(
    *,
    path: Path,
    format: str,
    options: dict[str, Any] | None = None,
    dataset: str | None = None,
    error_report_path: Path | None = None,
    progress: ProgressCallback | None = None,
    batch_size: int = 2000,
) -> ImportOutcome:
    """Import a file from disk (the management command's path)."""
    path = Path(path)
    if error_report_path is None:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        error_report_path = (
            Path(settings.MEDIA_ROOT) / "import-reports" / f"{path.name}.{stamp}.errors.csv"
        )
    outcome = import_file(
        path=path,
        format=format,
        options=options,
        dataset=dataset,
        error_report_path=error_report_path,
        progress=progress,
        batch_size=batch_size,
    )
    after_import_run(outcome=outcome)
    return outcome


def import_job_create(
    *, uploaded_file, format: str, options: dict[str, Any] | None = None, user=None
) -> ImportJob:
    """Store an uploaded file and queue its import once the job row is committed."""
    job = ImportJob(
        format=format,
        options=options or {},
        original_name=Path(uploaded_file.name).name[:255],
        created_by=user,
    )
    job.source_file.save(Path(uploaded_file.name).name, uploaded_file, save=False)
    job.bytes_total = job.source_file.size
    job.save()
    task_enqueue("patents.import_job_run", job_id=job.pk)
    return job


def _import_job_fail(job: ImportJob, failure: str) -> ImportJob:
    job.status = ImportJob.Status.FAILED
    job.failure = failure
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "failure", "finished_at"])
    return job


@contextlib.contextmanager
def _import_path(job: ImportJob) -> Iterator[Path]:
    """The path to import: the upload itself, or for a .zip (a PatentsView folder
    zipped for upload) the folder it unpacks to, removed afterwards."""
    path = Path(job.source_file.path)
    if path.suffix.lower() != ".zip":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix=f"import-job-{job.pk}-") as tmp:
        root = Path(tmp)
        try:
            with zipfile.ZipFile(path) as archive:
                for member in archive.infolist():
                    target = (root / member.filename).resolve()
                    # Refuse members that would land outside the folder (zip slip).
                    if not target.is_relative_to(root.resolve()):
                        raise ImportFileError(
                            _("the archive holds an unsafe path: %(name)s")
                            % {"name": member.filename}
                        )
                    archive.extract(member, root)
        except zipfile.BadZipFile as exc:
            raise ImportFileError(_("the file is not a valid zip archive")) from exc
        entries = [p for p in root.iterdir() if not p.name.startswith(("__MACOSX", "."))]
        # A zipped folder (or file) unpacks to one entry; loose tables to the root.
        yield entries[0] if len(entries) == 1 else root


def import_job_execute(*, job_id: int) -> ImportJob:
    """Run a queued import. Safe to run again: rows are upserted by publication number,
    so a worker killed mid-file and redelivered lands every row exactly once."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status == ImportJob.Status.SUCCEEDED:
        return job
    job.status = ImportJob.Status.RUNNING
    job.started_at = timezone.now()
    job.failure = ""
    job.save(update_fields=["status", "started_at", "failure"])
    last_saved = 0

    def on_progress(done: int, total: int) -> None:
        nonlocal last_saved
        if done - last_saved >= _PROGRESS_STEP or done >= total:
            ImportJob.objects.filter(pk=job_id).update(bytes_done=done, bytes_total=total)
            last_saved = done

    report_path = Path(settings.MEDIA_ROOT) / "import-reports" / f"job-{job_id}.errors.csv"
    try:
        with _import_path(job) as path:
            outcome = import_file(
                path=path,
                format=job.format,
                options=job.options,
                dataset=job.options.get("dataset"),
                import_job_id=job.pk,
                error_report_path=report_path,
                progress=on_progress,
            )
    except (ImportFileError, ValueError) as exc:
        return _import_job_fail(job, str(exc))
    except Exception as exc:
        # Never leave a job "running" forever: record the failure for staff.
        logger.exception("import job %s failed", job_id)
        return _import_job_fail(job, _("Internal error: %(error)s") % {"error": exc})
    job.refresh_from_db(fields=["bytes_done", "bytes_total"])
    job.rows_read = outcome.read
    job.rows_created = outcome.created
    job.rows_updated = outcome.updated
    job.rows_rejected = outcome.rejected
    job.status = ImportJob.Status.SUCCEEDED
    job.finished_at = timezone.now()
    if outcome.error_report:
        with outcome.error_report.open("rb") as handle:
            job.error_report.save(f"job-{job_id}-errors.csv", File(handle), save=False)
        outcome.error_report.unlink()
    job.save()
    after_import_run(outcome=outcome)
    return job


def reference_data_load(*, only: str | None = None) -> dict[str, int]:
    """Load regions and the IPC scheme shipped in data/; returns rows per table."""
    from .importing.reference import ipc_scheme_load, regions_load

    counts: dict[str, int] = {}
    if only in (None, "regions"):
        counts["regions"] = regions_load()
    if only in (None, "ipc"):
        counts["ipc"] = ipc_scheme_load()
    return counts


def import_upload_kind() -> UploadKind:
    """What an admin import upload may be (``portal.uploads.validate_upload`` checks it);
    larger files are imported with the command line."""
    return UploadKind(
        "patent import",
        frozenset({".csv", ".tsv", ".txt", ".gz", ".xlsx", ".xlsm", ".zip"}),
        max_bytes=settings.IMPORT_UPLOAD_MAX_BYTES,
        max_unpacked_bytes=20 * settings.IMPORT_UPLOAD_MAX_BYTES,
        max_archive_entries=100_000,
    )

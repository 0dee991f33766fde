"""Staff upload in the admin: the job runs as a Celery task (eager here; a real
worker in tests/test_celery_worker_import.py), shows progress and serves its
error report only to staff allowed to see the job."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from patents.models import ImportJob, InventorMention, Patent
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def eager_celery(monkeypatch):
    # Runs the task in-process even when REDIS_URL points at a broker.
    from portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def staff_client(client, db):
    user = UserFactory(is_staff=True, roles=["centre_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="patents", codename__endswith="importjob"
        )
    )
    client.force_login(user)
    return client


def upload(client, django_capture_on_commit_callbacks, name, content, fmt, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("admin:patents_importjob_add"),
            {
                "source_file": SimpleUploadedFile(name, content),
                "format": fmt,
                "encoding": "auto",
                **extra,
            },
        )


@pytest.mark.django_db
def test_upload_runs_the_import_and_serves_the_error_report(
    staff_client, client, django_capture_on_commit_callbacks, data_dir
):
    assert staff_client.get(reverse("admin:patents_importjob_add")).status_code == 200
    content = (data_dir / "cn_patents_zh" / "cn_g06f_patents_chinese_headers.xlsx").read_bytes()
    response = upload(
        staff_client, django_capture_on_commit_callbacks, "导出.xlsx", content, "table"
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:patents_importjob_change", args=[job.pk])
    assert (job.status, job.original_name) == (ImportJob.Status.SUCCEEDED, "导出.xlsx")
    assert (job.rows_read, job.rows_created, job.rows_updated, job.rows_rejected) == (57, 34, 0, 23)
    assert Patent.objects.filter(import_job=job).count() == 34

    page = staff_client.get(response.url)
    assert page.status_code == 200
    assert b"data-progress-url" in page.content
    progress = staff_client.get(reverse("admin:patents_importjob_progress", args=[job.pk])).json()
    assert (progress["percent"], progress["done"], progress["rejected"]) == (100, True, 23)

    report_url = reverse("admin:patents_importjob_error_report", args=[job.pk])
    report = staff_client.get(report_url)
    assert report.status_code == 200
    assert "attachment" in report["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 23
    assert rows[0]["line"] == "4" and rows[0]["reason"] == "缺少标题"
    # The report is not under any public URL: only this permission-checked view.
    assert job.error_report.url.startswith("/media-not-served/")
    assert client.get(job.error_report.url).status_code == 404

    # Staff without the permission to view import jobs get no report.
    other = UserFactory(is_staff=True)
    client.force_login(other)
    assert client.get(report_url).status_code == 403
    client.logout()
    assert client.get(report_url).status_code == 302  # to the admin login


@pytest.mark.django_db
def test_zipped_patentsview_folder(staff_client, django_capture_on_commit_callbacks, data_dir):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in (data_dir / "us_patents_patentsview_nvidia").glob("*.gz"):
            archive.write(path, f"nvidia/{path.name}")
    upload(
        staff_client,
        django_capture_on_commit_callbacks,
        "nvidia.zip",
        buffer.getvalue(),
        "patentsview",
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED, job.failure
    assert (job.rows_read, job.rows_created, job.rows_rejected) == (5169, 5169, 0)
    assert InventorMention.objects.exclude(source_person_id="").count() == 16402


@pytest.mark.django_db
def test_bad_uploads_are_refused_with_a_reason(
    staff_client, django_capture_on_commit_callbacks, settings
):
    response = upload(staff_client, django_capture_on_commit_callbacks, "x.pdf", b"%PDF", "table")
    assert response.status_code == 200
    assert ".csv" in str(response.context["adminform"].form.errors["source_file"])
    response = upload(
        staff_client,
        django_capture_on_commit_callbacks,
        "x.csv",
        b"a,b\n1,2\n",
        "table",
        mapping="{not json",
    )
    assert "JSON" in str(response.context["adminform"].form.errors["mapping"])
    response = upload(
        staff_client, django_capture_on_commit_callbacks, "t.csv", b"a\n", "patentsview"
    )
    assert ".zip" in str(response.context["adminform"].form.errors["source_file"])
    assert not ImportJob.objects.exists()

    # A file the importer cannot read fails the job with the reason, not a 500.
    upload(staff_client, django_capture_on_commit_callbacks, "odd.csv", b"x,y\n1,2\n", "table")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert "publication_number" in job.failure

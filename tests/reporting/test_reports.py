"""Drafts, issuing (frozen snapshots), archived files with checksums, the quarterly job."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError

from patents.models import Patent
from reporting.models import KpiSnapshot, Report
from reporting.selectors import kpi_figures_issued, report_drift
from reporting.services import (
    report_file_verified,
    report_get_or_create_draft,
    report_issue,
    report_update_narrative,
    reports_prepare_quarter_drafts,
)

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _issued(project, period, staff):
    report = report_get_or_create_draft(project=project, period=period)
    report_update_narrative(report=report, narrative="本年度完成专利数据入库。")
    return report_issue(report=report, issued_by=staff)


def test_issuing_freezes_figures_renders_and_archives_with_checksums(
    selectors_absent, project, year_2026, staff, talent_year
):
    report = _issued(project, year_2026, staff)
    report.refresh_from_db()
    assert report.is_issued and report.issued_by == staff
    assert report.render_state == Report.RenderState.DONE and report.progress == 100
    snap = KpiSnapshot.objects.get(report=report, code="l3-patent-records")
    assert snap.value == 4 and snap.evidence_count == 4 and snap.measurable
    assert not KpiSnapshot.objects.get(report=report, code="l3-trained").measurable
    assert KpiSnapshot.objects.get(report=report, code="l3-trained").value is None
    pdf = report_file_verified(report=report, kind="pdf")
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == report.pdf_sha256
    xlsx = report_file_verified(report=report, kind="xlsx")
    assert hashlib.sha256(xlsx).hexdigest() == report.xlsx_sha256


def test_a_later_edit_does_not_change_an_issued_report_and_the_drift_is_shown(
    selectors_absent, project, year_2026, staff, talent_year
):
    report = _issued(project, year_2026, staff)
    pdf_digest = Report.objects.get(pk=report.pk).pdf_sha256
    Patent.objects.filter(pk=talent_year["mar"].pk).delete()

    frozen = {f.code: f for line in kpi_figures_issued(report=report) for f in line.figures}
    assert frozen["l3-patent-records"].value == 4
    drift = {d.code: d for d in report_drift(report=report)}
    assert drift["l3-patent-records"].issued == 4
    assert drift["l3-patent-records"].live == 3
    assert drift["l3-patent-records"].difference == -1
    assert drift["l3-trained"].difference is None

    with pytest.raises(ValidationError):
        report_update_narrative(report=report, narrative="改写")
    with pytest.raises(ValidationError):
        report_issue(report=report)
    snap = KpiSnapshot.objects.get(report=report, code="l3-patent-records")
    snap.value = 999
    with pytest.raises(ValidationError):
        snap.save()
    report.refresh_from_db()
    assert report.narrative == "本年度完成专利数据入库。"
    assert report.pdf_sha256 == pdf_digest


def test_a_tampered_archive_is_refused(project, year_2026, staff, talent_year):
    report = Report.objects.get(pk=_issued(project, year_2026, staff).pk)
    with open(report.pdf_file.path, "ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(ValidationError):
        report_file_verified(report=report, kind="pdf")


def test_the_quarterly_job_prepares_each_active_projects_draft_once(project, talent_year):
    ProjectFactory(code="ended", starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2021, 1, 1))
    drafts = reports_prepare_quarter_drafts(today=dt.date(2026, 1, 2))
    assert [(r.project.code, r.period.label) for r in drafts] == [("sd-talent", "2025Q4")]
    draft = Report.objects.get(pk=drafts[0].pk)
    assert draft.status == Report.Status.DRAFT
    assert draft.render_state == Report.RenderState.DONE and draft.pdf_sha256
    assert (draft.period.start, draft.period.end) == (dt.date(2025, 10, 1), dt.date(2026, 1, 1))
    again = reports_prepare_quarter_drafts(today=dt.date(2026, 1, 3))
    assert [r.pk for r in again] == [draft.pk]
    assert Report.objects.count() == 1


def test_the_beat_schedule_runs_the_quarterly_job_on_the_reports_queue(settings):
    # Ask Celery itself: the scheduled names must be registered tasks, and its
    # router must send them to the "reports" queue (a renamed task or a broken
    # route fails here, not silently in production).
    from portal.celery import app

    app.loader.import_default_modules()
    for key in ("reporting-quarterly-drafts", "reporting-kpi-cache-warm"):
        name = settings.CELERY_BEAT_SCHEDULE[key]["task"]
        assert name in app.tasks, name
        route = app.amqp.router.route({}, name, args=(), kwargs={})
        assert route["queue"].name == "reports", (name, route)
    render = app.amqp.router.route({}, "reporting.tasks.report_render_task", args=(), kwargs={})
    assert render["queue"].name == "reports"
    assert settings.CELERY_BEAT_SCHEDULE["reporting-kpi-cache-warm"]["schedule"] < 300


def test_the_command_path_returns_the_archived_file_of_an_issued_report(
    project, year_2026, staff, talent_year
):
    from reporting.services import report_build_file

    report = Report.objects.get(pk=_issued(project, year_2026, staff).pk)
    Patent.objects.filter(pk=talent_year["mar"].pk).delete()
    data = report_build_file(project=project, period=year_2026, fmt="pdf")
    assert hashlib.sha256(data).hexdigest() == report.pdf_sha256

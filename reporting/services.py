"""Writes and domain rules of reporting: periods, drafts, issuing and rendering."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.background import task_enqueue

from .models import KpiSnapshot, Project, Report, ReportingPeriod
from .selectors import kpi_figures_for_report, kpi_figures_live

_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*(?:-?\s*[Qq]([1-4]))?\s*$")


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    # Q4 ends on 1 January of the next year (exclusive): the year end is crossed here.
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end


def period_get_or_create(
    *, year: int, quarter: int | None = None, create: bool = True
) -> ReportingPeriod:
    """The year or quarter's period; with ``create=False`` an unsaved one is returned
    when none is stored (pages only read)."""
    if quarter is None:
        label, kind = f"{year}", ReportingPeriod.Kind.YEAR
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    else:
        label, kind = f"{year}Q{quarter}", ReportingPeriod.Kind.QUARTER
        start, end = quarter_bounds(year, quarter)
    if not create:
        return ReportingPeriod.objects.filter(label=label).first() or ReportingPeriod(
            label=label, kind=kind, start=start, end=end
        )
    period, _created = ReportingPeriod.objects.get_or_create(
        label=label, defaults={"kind": kind, "start": start, "end": end}
    )
    return period


def period_parse(*, text: str, create: bool = True) -> ReportingPeriod:
    """ "2026", "2026Q1" / "2026-Q1", or the label of a period staff defined."""
    # A NUL is in no label (the database refuses one in a query): straight to "unknown".
    existing = (
        ReportingPeriod.objects.filter(label=text.strip()).first() if "\x00" not in text else None
    )
    if existing:
        return existing
    match = _PERIOD_RE.match(text)
    if not match:
        raise ValidationError(
            _(
                "Unknown period %(text)s: write a year (2026), a quarter (2026Q1) or the label "
                "of a defined period."
            )
            % {"text": text}
        )
    year, quarter = int(match[1]), match[2]
    if not 2000 <= year <= 2100:
        raise ValidationError(_("The year must be between 2000 and 2100."))
    return period_get_or_create(year=year, quarter=int(quarter) if quarter else None, create=create)


def previous_quarter(*, today: dt.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if quarter == 1 else (today.year, quarter - 1)


def report_get_or_create_draft(*, project: Project, period: ReportingPeriod) -> Report:
    report, _created = Report.objects.get_or_create(project=project, period=period)
    return report


def report_update_narrative(*, report: Report, narrative: str) -> Report:
    if report.is_issued:
        raise ValidationError(_("An issued report cannot be changed."))
    report.narrative = narrative
    report.save(update_fields=["narrative", "updated_at"])
    return report


def report_request_render(*, report: Report) -> Report:
    """Queue the PDF and Excel generation on the ``reports`` queue."""
    if report.is_issued and report.pdf_sha256:
        raise ValidationError(_("An issued report cannot be changed."))
    Report.objects.filter(pk=report.pk).update(
        render_state=Report.RenderState.QUEUED, progress=0, failure=""
    )
    task_enqueue("reporting.tasks.report_render_task", report_id=report.pk)
    report.refresh_from_db()
    return report


@transaction.atomic
def report_issue(*, report: Report, issued_by=None) -> Report:
    """Freeze every KPI figure of the report and queue its archived files."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_issued:
        raise ValidationError(_("This report has already been issued."))
    lines = kpi_figures_live(
        project=report.project,
        start=report.period.start,
        end=report.period.end,
        with_series=True,
        use_cache=False,
    )
    KpiSnapshot.objects.bulk_create(
        KpiSnapshot(
            report=report,
            definition_id=f.definition_id,
            code=f.code,
            programme_line=f.programme_line,
            position=f.position,
            name_zh=f.name_zh,
            name_en=f.name_en,
            unit=f.unit,
            comparison=f.comparison,
            either_group=f.either_group,
            target_value=f.target,
            measurable=f.measurable,
            value=f.value,
            evidence_count=f.evidence_count,
            imported_value=f.imported_value,
            imported_count=f.imported_count,
            evidence_type=f.evidence_type,
            note=f.note,
            series=[(label, str(v)) for label, v in f.series],
        )
        for line in lines
        for f in line.figures
    )
    report.status = Report.Status.ISSUED
    report.issued_at = timezone.now()
    report.issued_by = issued_by
    # Draft files showed live figures; the archived ones are made from the snapshot.
    report.pdf_file = report.xlsx_file = ""
    report.pdf_sha256 = report.xlsx_sha256 = ""
    report.save()
    return report_request_render(report=report)


def _stored_name(report: Report, ext: str) -> str:
    return f"{report.project.code}-{report.period.label}-{report.status}.{ext}"


def report_render(*, report_id: int) -> Report:
    """Generate the report's PDF and Excel files; idempotent, and an issued report's
    archived files are never replaced."""
    from .rendering.excel import report_xlsx
    from .rendering.pdf import report_pdf

    report = Report.objects.select_related("project", "period").get(pk=report_id)
    if report.is_issued and report.pdf_sha256 and report.xlsx_sha256:
        return report
    _progress(report, Report.RenderState.RUNNING, 5)
    try:
        # Archived reports are in the portal's language, whoever asked for them.
        with translation.override(settings.LANGUAGE_CODE):
            lines = kpi_figures_for_report(report=report)
            _progress(report, Report.RenderState.RUNNING, 40)
            pdf = report_pdf(report=report, lines=lines)
            _progress(report, Report.RenderState.RUNNING, 75)
            xlsx = report_xlsx(report=report, lines=lines)
    except Exception as exc:
        Report.objects.filter(pk=report.pk).update(
            render_state=Report.RenderState.FAILED, failure=f"{type(exc).__name__}: {exc}"
        )
        raise
    if report.pdf_file:
        report.pdf_file.delete(save=False)
    if report.xlsx_file:
        report.xlsx_file.delete(save=False)
    report.pdf_file.save(_stored_name(report, "pdf"), ContentFile(pdf), save=False)
    report.xlsx_file.save(_stored_name(report, "xlsx"), ContentFile(xlsx), save=False)
    report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    report.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
    report.render_state = Report.RenderState.DONE
    report.progress = 100
    report.failure = ""
    report.save()
    return report


def _progress(report: Report, state: str, percent: int) -> None:
    # A direct UPDATE so a page polling the progress sees it while we work.
    Report.objects.filter(pk=report.pk).update(render_state=state, progress=percent)


def report_file_verified(*, report: Report, kind: str) -> bytes:
    """The archived file's bytes, after checking them against the stored checksum."""
    field, digest = (
        (report.pdf_file, report.pdf_sha256)
        if kind == "pdf"
        else (report.xlsx_file, report.xlsx_sha256)
    )
    if not field or not digest:
        raise FileNotFoundError(kind)
    with field.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != digest:
        raise ValidationError(_("The archived file does not match its checksum."))
    return data


def reports_prepare_quarter_drafts(*, today: dt.date | None = None) -> list[Report]:
    """Create (idempotently) each active project's draft for the quarter just ended."""
    today = today or timezone.localdate()
    year, quarter = previous_quarter(today=today)
    period = period_get_or_create(year=year, quarter=quarter)
    drafts = []
    for project in Project.objects.filter(
        active=True, starts_on__lt=period.end, ends_on__gte=period.start
    ):
        report = report_get_or_create_draft(project=project, period=period)
        if not report.is_issued and report.render_state == Report.RenderState.IDLE:
            report = report_request_render(report=report)
        drafts.append(report)
    return drafts


def report_build_file(*, project: Project, period: ReportingPeriod, fmt: str) -> bytes:
    """The report as bytes without storing anything (the ``kpi_report`` command): an
    issued report's archived file, else one rendered now from live figures."""
    from .rendering.excel import report_xlsx
    from .rendering.pdf import report_pdf

    if fmt not in ("pdf", "xlsx"):
        raise ValidationError(_("Unknown format %(fmt)s: use pdf or xlsx.") % {"fmt": fmt})
    report = Report.objects.filter(project=project, period=period).first() or Report(
        project=project, period=period
    )
    if report.is_issued and (report.pdf_sha256 if fmt == "pdf" else report.xlsx_sha256):
        # The archived file itself, checked against its checksum: byte for byte what
        # the funders downloaded.
        return report_file_verified(report=report, kind=fmt)
    with translation.override(settings.LANGUAGE_CODE):
        lines = kpi_figures_for_report(report=report)
        if fmt == "pdf":
            return report_pdf(report=report, lines=lines)
        return report_xlsx(report=report, lines=lines)


def kpi_cache_warm(*, today: dt.date | None = None) -> int:
    """Recompute the figures dashboards show (this year and this quarter of every active
    project) so a funder's page reads them from the cache instead of waiting for the
    queries. Runs every few minutes, a little more often than the cache expires."""
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    periods = [
        period_get_or_create(year=today.year, create=False),
        period_get_or_create(year=today.year, quarter=quarter, create=False),
    ]
    warmed = 0
    for project in Project.objects.filter(active=True):
        for period in periods:
            for with_series in (False, True):
                kpi_figures_live(
                    project=project,
                    start=period.start,
                    end=period.end,
                    with_series=with_series,
                    use_cache=False,
                )
                warmed += 1
    return warmed


def held_counts_refresh() -> int:
    """Recompute the stored monthly counts of records held (nightly, beat)."""
    from .measures import held_counts_refresh as refresh

    return refresh()


def qualitative_evidence_add(
    *,
    kind: str,
    programme_line: str,
    title: str,
    dated_on,
    document,
    counterparty: str = "",
    actor=None,
):
    """Record a document proving a qualitative target (an agreement, an establishment
    record, an adoption/promotion record); its SHA-256 is kept as the evidence summary
    funders see."""
    import hashlib

    from portal.audit import AuditAction, audit_record
    from portal.uploads import DOCUMENT, validate_upload

    from .models import QualitativeEvidence

    if kind not in QualitativeEvidence.Kind.values:
        raise ValidationError(_("Unknown evidence type: %(kind)s") % {"kind": kind})
    if not (title or "").strip():
        raise ValidationError(_("Give the evidence a title."))
    if document is None:
        raise ValidationError(_("Attach the document that proves it."))
    validate_upload(document, kind=DOCUMENT)
    digest = hashlib.sha256()
    document.seek(0)
    for chunk in iter(lambda: document.read(64 * 1024), b""):
        digest.update(chunk)
    document.seek(0)
    evidence = QualitativeEvidence.objects.create(
        kind=kind,
        programme_line=programme_line,
        title=title.strip(),
        counterparty=counterparty.strip(),
        dated_on=dated_on,
        document=document,
        document_sha256=digest.hexdigest(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action=AuditAction.CREATED, target=evidence)
    return evidence

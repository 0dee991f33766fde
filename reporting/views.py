"""Pages of reporting: the funders' dashboard, evidence drill-down and reports.

Centre staff see every project and draft; a funder sees the projects assigned to
them and their issued reports only, as aggregates without personal data.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.permissions import is_line_staff, staff_lines, staff_required
from portal.roles import Role, user_has_role

from . import selectors, services
from .evidence import rows, visible_columns
from .forms import NarrativeForm, ReportCreateForm
from .measures import MeasureUnavailable

EVIDENCE_PAGE_SIZE = 50


def _require_reader(request) -> bool:
    """Staff or funder; anyone else is refused. Returns whether personal data may show."""
    if is_line_staff(request.user):
        return True
    if user_has_role(request.user, Role.FUNDER):
        return False
    raise PermissionDenied(_("KPI reports are for centre staff and funders."))


def _period(request):
    text = request.GET.get("period") or str(timezone.localdate().year)
    try:
        return services.period_parse(text=text, create=False), None
    except ValidationError as exc:
        year = services.period_parse(text=str(timezone.localdate().year), create=False)
        return year, " ".join(exc.messages)


def _project(request, project_id: int):
    project = selectors.project_visible_to(user=request.user, project_id=project_id)
    if project is None:
        raise Http404(_("No such project."))
    return project


@login_required
@require_safe
def dashboard(request):
    _require_reader(request)
    period, error = _period(request)
    if error:
        messages.error(request, error)
    projects = [
        (project, selectors.kpi_figures_live(project=project, start=period.start, end=period.end))
        for project in selectors.project_list_for(user=request.user)
    ]
    return render(
        request,
        "reporting/dashboard.html",
        {"projects": projects, "period": period},
    )


@login_required
@require_safe
def project_detail(request, project_id: int):
    personal_allowed = _require_reader(request)
    project = _project(request, project_id)
    period, error = _period(request)
    if error:
        messages.error(request, error)
    lines = selectors.kpi_figures_live(
        project=project, start=period.start, end=period.end, with_series=True
    )
    return render(
        request,
        "reporting/project.html",
        {
            "project": project,
            "period": period,
            "lines": lines,
            "reports": selectors.report_list_for(user=request.user, project=project),
            "create_form": ReportCreateForm(initial={"period": period.label})
            if personal_allowed
            else None,
        },
    )


@login_required
@require_safe
def evidence(request, project_id: int, code: str):
    personal_allowed = _require_reader(request)
    project = _project(request, project_id)
    definition = selectors.evidence_definition(code=code)
    if definition is None or definition.programme_line not in project.programme_lines:
        raise Http404(_("No such KPI for this project."))
    lines = staff_lines(request.user)
    if personal_allowed and lines is not None and str(definition.programme_line) not in lines:
        # Line staff read the evidence (with personal data) of their own lines only.
        raise PermissionDenied(_("This KPI belongs to another programme line."))
    period, error = _period(request)
    if error:
        messages.error(request, error)
    context = {"project": project, "period": period, "definition": definition}
    try:
        m, outcome, _cols = selectors.evidence_page(
            definition=definition,
            start=period.start,
            end=period.end,
            personal_allowed=personal_allowed,
        )
    except MeasureUnavailable as exc:
        context["unavailable"] = str(exc)
        return render(request, "reporting/evidence.html", context)
    columns = visible_columns(m, personal_allowed=personal_allowed)
    context.update(measure=m, outcome=outcome, columns=columns)
    if columns:
        page = Paginator(outcome.evidence, EVIDENCE_PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = [
            (getattr(record, "get_absolute_url", None), values)
            for record, values in rows(page.object_list, columns, personal_allowed=personal_allowed)
        ]
    else:
        # Records about people: a funder sees how many per month, never who.
        figure = next(
            f
            for line in selectors.kpi_figures_live(
                project=project, start=period.start, end=period.end, with_series=True
            )
            for f in line.figures
            if f.code == definition.code
        )
        context["summary_series"] = figure.series
    return render(request, "reporting/evidence.html", context)


@staff_required()
@require_POST
def report_create(request, project_id: int):
    project = _project(request, project_id)
    form = ReportCreateForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("period", []):
            messages.error(request, error)
        return redirect("reporting:project", project_id=project.pk)
    report = services.report_get_or_create_draft(
        project=project, period=form.cleaned_data["period"]
    )
    return redirect("reporting:report", report_id=report.pk)


def _report(request, report_id: int):
    report = selectors.report_visible_to(user=request.user, report_id=report_id)
    if report is None:
        raise Http404(_("No such report."))
    return report


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_detail(request, report_id: int):
    personal_allowed = _require_reader(request)
    report = _report(request, report_id)
    form = None
    if personal_allowed and not report.is_issued:
        form = NarrativeForm(request.POST or None, instance=report)
        if request.method == "POST" and form.is_valid():
            services.report_update_narrative(
                report=report, narrative=form.cleaned_data["narrative"]
            )
            messages.success(request, _("Narrative saved."))
            return redirect("reporting:report", report_id=report.pk)
    return render(
        request,
        "reporting/report.html",
        {
            "report": report,
            "form": form,
            "is_staff_view": personal_allowed,
            "drift": selectors.report_drift(report=report) if report.is_issued else None,
        },
    )


@staff_required()
@require_POST
def report_generate(request, report_id: int):
    report = _report(request, report_id)
    try:
        services.report_request_render(report=report)
        messages.success(request, _("The report is being generated."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reporting:report", report_id=report.pk)


@staff_required()
@require_POST
def report_issue(request, report_id: int):
    report = _report(request, report_id)
    try:
        services.report_issue(report=report, issued_by=request.user)
        messages.success(request, _("The report is issued; its figures are now frozen."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reporting:report", report_id=report.pk)


@login_required
@require_safe
def report_progress(request, report_id: int):
    _require_reader(request)
    report = _report(request, report_id)
    return JsonResponse(
        {
            "state": report.render_state,
            "progress": report.progress,
            "failure": report.failure if is_line_staff(request.user) else "",
        }
    )


@login_required
@require_safe
def report_download(request, report_id: int, kind: str):
    _require_reader(request)
    report = _report(request, report_id)
    if kind not in ("pdf", "xlsx"):
        raise Http404(_("No such file."))
    try:
        data = services.report_file_verified(report=report, kind=kind)
    except FileNotFoundError:
        raise Http404(_("This report has not been generated yet.")) from None
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=409, content_type="text/plain")
    content_type = (
        "application/pdf"
        if kind == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    filename = f"{report.project.code}-{report.period.label}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-SHA256"] = report.pdf_sha256 if kind == "pdf" else report.xlsx_sha256
    return response

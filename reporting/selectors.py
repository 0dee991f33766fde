"""Reads of reporting: KPI figures of a project for a period, live or as issued."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from portal.permissions import is_line_staff
from portal.programme import ProgrammeLine
from portal.roles import Role, user_has_role

from .evidence import visible_columns
from .labels import line_label
from .measures import MeasureUnavailable, measure_compute, measure_get
from .models import (
    Comparison,
    KpiDefinition,
    KpiSnapshot,
    Project,
    ProjectTarget,
    Report,
    ReportingPeriod,
    Unit,
)

LIVE_CACHE_SECONDS = 300


@dataclass(slots=True)
class KpiFigure:
    """One KPI for one period: its target, its figure (or why there is none)."""

    code: str
    programme_line: str
    position: int
    name_zh: str
    name_en: str
    unit: str
    comparison: str
    either_group: str
    target: Decimal | None
    measurable: bool
    value: Decimal | None
    evidence_count: int | None
    note: str = ""
    series: list[tuple[str, Decimal]] = field(default_factory=list)
    definition_id: int | None = None
    computation: str = ""
    evidence_description: str = ""
    # Set when another KPI of the same either/or group is met.
    alternative_met: bool = False
    # Imported records (partner markets, master platform): beside the figure, not in it.
    imported_value: Decimal | None = None
    imported_count: int | None = None
    evidence_type: str = ""

    @property
    def name(self) -> str:
        from .models import _is_chinese

        return self.name_zh if _is_chinese() else self.name_en

    @property
    def unit_label(self) -> str:
        return str(Unit(self.unit).label) if self.unit in Unit.values else self.unit

    @property
    def comparison_sign(self) -> str:
        return str(Comparison(self.comparison).label)

    @property
    def completion(self) -> Decimal | None:
        """Per cent of target reached, or None if there is no figure or no target."""
        if self.value is None or not self.target:
            return None
        return (self.value * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        if self.comparison == Comparison.MORE_THAN:
            return self.value > self.target
        return self.value >= self.target

    @property
    def bar_percent(self) -> int:
        return min(100, int(self.completion or 0))

    @property
    def status_label(self) -> str:
        if not self.measurable:
            return _("Not yet measurable")
        if self.met is None:
            return _("Reported (no numeric target)")
        if not self.met and self.alternative_met:
            return _("Met through its alternative")
        return _("Met") if self.met else _("Not yet met")


@dataclass(slots=True)
class LineFigures:
    line: str
    figures: list[KpiFigure]

    @property
    def label(self) -> str:
        return line_label(self.line)


def period_get(*, label: str) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(label=label).first()


def project_list_for(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """Projects a user may see: staff all, a funder those assigned to them."""
    projects = Project.objects.filter(active=True).order_by("code")
    if is_line_staff(user):
        return projects
    if user_has_role(user, Role.FUNDER):
        return projects.filter(funders=user)
    return projects.none()


def project_visible_to(*, user, project_id: int) -> Project | None:
    return project_list_for(user=user).filter(pk=project_id).first()


def report_list_for(*, user, project: Project) -> QuerySet[Report]:
    reports = Report.objects.filter(project=project).select_related("period")
    if is_line_staff(user):
        return reports
    return reports.filter(status=Report.Status.ISSUED)


def report_visible_to(*, user, report_id: int) -> Report | None:
    report = Report.objects.select_related("project", "period").filter(pk=report_id).first()
    if report is None or project_visible_to(user=user, project_id=report.project_id) is None:
        return None
    if not report.is_issued and not is_line_staff(user):
        return None
    return report


def definitions_for(*, project: Project) -> list[tuple[KpiDefinition, Decimal | None]]:
    """The project's active KPIs with the target that applies (the project's own or the
    funding guide's)."""
    overrides = dict(
        ProjectTarget.objects.filter(project=project).values_list("definition_id", "target_value")
    )
    definitions = KpiDefinition.objects.filter(
        active=True, programme_line__in=project.programme_lines
    ).order_by("programme_line", "position", "code")
    return [(d, overrides.get(d.pk, d.target_value)) for d in definitions]


def _figure_from_definition(
    definition: KpiDefinition,
    target: Decimal | None,
    *,
    start: dt.date,
    end: dt.date,
    with_series: bool,
) -> KpiFigure:
    figure = KpiFigure(
        code=definition.code,
        programme_line=definition.programme_line,
        position=definition.position,
        name_zh=definition.name_zh,
        name_en=definition.name_en,
        unit=definition.unit,
        comparison=definition.comparison,
        either_group=definition.either_group,
        target=target,
        measurable=False,
        value=None,
        evidence_count=None,
        definition_id=definition.pk,
        computation=definition.computation,
        evidence_description=definition.evidence,
    )
    try:
        figure.evidence_type = str(measure_get(definition.measure).evidence_type)
        outcome = measure_compute(
            definition.measure,
            start=start,
            end=end,
            programme_line=definition.programme_line,
            params=definition.measure_params,
            with_series=with_series,
        )
    except MeasureUnavailable as exc:
        figure.note = _(
            "Not yet measurable: the records this KPI counts are not available yet (%(source)s)."
        ) % {"source": exc}
        return figure
    figure.measurable = True
    figure.value = outcome.value
    figure.evidence_count = outcome.evidence_count
    figure.note = outcome.note
    figure.series = outcome.series
    m = measure_get(definition.measure)
    if m.origin_split:
        imported = measure_compute(
            definition.measure,
            start=start,
            end=end,
            programme_line=definition.programme_line,
            params={**(definition.measure_params or {}), "origin": "imported"},
        )
        figure.imported_value = imported.value
        figure.imported_count = imported.evidence_count
    return figure


def _cache_key(definition: KpiDefinition, start: dt.date, end: dt.date, with_series: bool) -> str:
    raw = json.dumps(
        [
            definition.measure,
            definition.measure_params,
            definition.programme_line,
            start.isoformat(),
            end.isoformat(),
            with_series,
            translation.get_language(),
        ],
        sort_keys=True,
    )
    return "reporting:kpi:" + hashlib.sha256(raw.encode()).hexdigest()


def kpi_figures_live(
    *,
    project: Project,
    start: dt.date,
    end: dt.date,
    with_series: bool = False,
    use_cache: bool = True,
) -> list[LineFigures]:
    """Every KPI of the project computed now from the recorded evidence.

    Dashboards read through a short cache (figures may be up to five minutes old);
    reports are issued with ``use_cache=False``. Figures are always counted exactly; the
    chart points of records held at month ends that are over come from the stored
    monthly counts (``reporting.measures.held``), at most a day behind a deletion.
    """
    figures: list[KpiFigure] = []
    for definition, target in definitions_for(project=project):
        key = _cache_key(definition, start, end, with_series)
        cached = cache.get(key) if use_cache else None
        if cached is None:
            figure = _figure_from_definition(
                definition,
                target,
                start=start,
                end=end,
                with_series=with_series,
            )
            cache.set(
                key,
                {
                    "measurable": figure.measurable,
                    "value": figure.value,
                    "evidence_count": figure.evidence_count,
                    "note": figure.note,
                    "series": figure.series,
                    "imported_value": figure.imported_value,
                    "imported_count": figure.imported_count,
                    "evidence_type": figure.evidence_type,
                },
                LIVE_CACHE_SECONDS,
            )
        else:
            figure = KpiFigure(
                code=definition.code,
                programme_line=definition.programme_line,
                position=definition.position,
                name_zh=definition.name_zh,
                name_en=definition.name_en,
                unit=definition.unit,
                comparison=definition.comparison,
                either_group=definition.either_group,
                target=target,
                definition_id=definition.pk,
                computation=definition.computation,
                evidence_description=definition.evidence,
                **cached,
            )
        figures.append(figure)
    return _group(figures, project.programme_lines)


def kpi_figures_issued(*, report: Report) -> list[LineFigures]:
    # Method texts are not figures; they follow the current definitions.
    definitions = {d.pk: d for d in KpiDefinition.objects.all()}
    figures = [
        KpiFigure(
            code=s.code,
            programme_line=s.programme_line,
            position=s.position,
            name_zh=s.name_zh,
            name_en=s.name_en,
            unit=s.unit,
            comparison=s.comparison,
            either_group=s.either_group,
            target=s.target_value,
            measurable=s.measurable,
            value=s.value,
            evidence_count=s.evidence_count,
            imported_value=s.imported_value,
            imported_count=s.imported_count,
            evidence_type=s.evidence_type,
            note=s.note,
            series=[(label, Decimal(v)) for label, v in s.series],
            definition_id=s.definition_id,
            computation=getattr(definitions.get(s.definition_id), "computation", ""),
            evidence_description=getattr(definitions.get(s.definition_id), "evidence", ""),
        )
        for s in KpiSnapshot.objects.filter(report=report)
    ]
    lines = list(dict.fromkeys(f.programme_line for f in figures))
    return _group(figures, lines)


def kpi_figures_for_report(*, report: Report, with_series: bool = True) -> list[LineFigures]:
    """An issued report's frozen figures, or a draft's live ones."""
    if report.is_issued:
        return kpi_figures_issued(report=report)
    return kpi_figures_live(
        project=report.project,
        start=report.period.start,
        end=report.period.end,
        with_series=with_series,
        use_cache=False,
    )


def _group(figures: list[KpiFigure], lines: list[str]) -> list[LineFigures]:
    met_groups = {f.either_group for f in figures if f.either_group and f.met}
    for f in figures:
        f.alternative_met = bool(f.either_group) and f.either_group in met_groups and not f.met
    ordered = [line for line in ProgrammeLine.values if line in lines]
    return [
        LineFigures(line=line, figures=[f for f in figures if f.programme_line == line])
        for line in ordered
    ]


@dataclass(slots=True)
class Drift:
    code: str
    name: str
    issued: Decimal | None
    live: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.issued is None or self.live is None:
            return None
        return self.live - self.issued


def report_drift(*, report: Report) -> list[Drift]:
    """For an issued report: each KPI's frozen figure next to today's live one (as live
    as the dashboard: through the same few-minute cache)."""
    live = {
        f.code: f
        for line in kpi_figures_live(
            project=report.project,
            start=report.period.start,
            end=report.period.end,
        )
        for f in line.figures
    }
    rows = []
    for line in kpi_figures_issued(report=report):
        for f in line.figures:
            current = live.get(f.code)
            rows.append(
                Drift(
                    code=f.code,
                    name=f.name,
                    issued=f.value,
                    live=current.value if current else None,
                )
            )
    return rows


def evidence_definition(*, code: str) -> KpiDefinition | None:
    return KpiDefinition.objects.filter(code=code).first()


def evidence_page(
    *, definition: KpiDefinition, start: dt.date, end: dt.date, personal_allowed: bool
):
    """The evidence QuerySet of one KPI and the columns the viewer may see."""
    m = measure_get(definition.measure)
    outcome = measure_compute(
        definition.measure,
        start=start,
        end=end,
        programme_line=definition.programme_line,
        params=definition.measure_params,
    )
    columns = visible_columns(m, personal_allowed=personal_allowed)
    return m, outcome, columns

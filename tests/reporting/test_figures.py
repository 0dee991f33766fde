"""A project's KPI figures against its targets."""

import datetime as dt
from decimal import Decimal

import pytest

from patents.models import Patent
from portal.programme import ProgrammeLine
from reporting.models import ProjectTarget
from reporting.selectors import KpiFigure, kpi_figures_live

from .factories import KpiDefinitionFactory, ProjectFactory

pytestmark = pytest.mark.django_db
START, END = dt.date(2026, 1, 1), dt.date(2027, 1, 1)


def _figures(project, **kwargs):
    return {
        f.code: f
        for line in kpi_figures_live(project=project, start=START, end=END, **kwargs)
        for f in line.figures
    }


def test_talent_line_figures_measured_and_not_yet_measurable(
    selectors_absent, project, talent_year
):
    figures = _figures(project)
    assert set(figures) == {
        "l3-talent-records",
        "l3-patent-records",
        "l3-supply",
        "l3-events",
        "l3-patents",
        "l3-amount",
        "l3-trained",
        "l3-university-agreements",  # qualitative: documents (issue 15)
    }
    patents = figures["l3-patent-records"]
    assert patents.measurable and patents.value == 4 and patents.evidence_count == 4
    assert patents.target == 100_000_000
    assert patents.completion == Decimal("0.0") and patents.met is False
    trained = figures["l3-trained"]
    assert not trained.measurable
    assert trained.value is None and trained.completion is None and trained.met is None
    assert "talent.selectors.trainees_trained_in_period" in trained.note


def test_a_project_target_overrides_the_funding_guide(project, talent_year):
    definition = ProjectTarget.objects.create(
        project=project,
        definition_id=_figures(project)["l3-patent-records"].definition_id,
        target_value=4,
    )
    figure = _figures(project, use_cache=False)["l3-patent-records"]
    assert definition.target_value == figure.target == 4
    assert figure.met is True and figure.completion == Decimal("100.0")


@pytest.mark.parametrize(
    ("comparison", "value", "met"),
    [("gte", 50, True), ("gt", 50, False), ("gt", 51, True), ("gte", 49, False)],
)
def test_at_least_versus_more_than(comparison, value, met):
    figure = KpiFigure(
        code="x",
        programme_line="talent",
        position=0,
        name_zh="",
        name_en="",
        unit="items",
        comparison=comparison,
        either_group="",
        target=Decimal(50),
        measurable=True,
        value=Decimal(value),
        evidence_count=value,
    )
    assert figure.met is met


def test_a_kpi_without_numeric_target_is_reported_only():
    figure = KpiFigure(
        code="x",
        programme_line="trading_hub",
        position=0,
        name_zh="",
        name_en="",
        unit="markets",
        comparison="gte",
        either_group="",
        target=None,
        measurable=True,
        value=Decimal(3),
        evidence_count=3,
    )
    assert figure.completion is None and figure.met is None
    assert figure.status_label


def test_dashboard_figures_are_cached_briefly_but_reports_read_live(project, talent_year):
    assert _figures(project)["l3-patent-records"].value == 4
    Patent.objects.filter(pk=talent_year["after"].pk).delete()
    Patent.objects.filter(pk=talent_year["mar"].pk).delete()
    assert _figures(project)["l3-patent-records"].value == 4  # cached
    assert _figures(project, use_cache=False)["l3-patent-records"].value == 3


def test_a_project_spanning_two_lines_groups_figures_by_line(db):
    project = ProjectFactory(
        code="two-lines",
        programme_lines=[ProgrammeLine.TALENT.value, ProgrammeLine.INDUSTRY_OPERATIONS.value],
    )
    KpiDefinitionFactory(code="inactive", active=False)
    lines = kpi_figures_live(project=project, start=START, end=END)
    assert [line.line for line in lines] == ["industry_operations", "talent"]
    assert "inactive" not in {f.code for line in lines for f in line.figures}


def test_the_cache_warmer_refreshes_what_dashboards_read(project, talent_year):
    from reporting.services import kpi_cache_warm

    assert _figures(project)["l3-patent-records"].value == 4
    Patent.objects.filter(pk=talent_year["mar"].pk).delete()
    assert kpi_cache_warm(today=dt.date(2026, 5, 1)) == 4  # year and quarter, with/without series
    assert _figures(project)["l3-patent-records"].value == 3


def test_either_or_groups_are_met_when_one_alternative_is(project, talent_year):
    from reporting.selectors import _group

    def fig(code, value, target):
        return KpiFigure(
            code=code,
            programme_line="talent",
            position=0,
            name_zh="",
            name_en="",
            unit="items",
            comparison="gte",
            either_group="g",
            target=Decimal(target),
            measurable=True,
            value=Decimal(value),
            evidence_count=value,
        )

    patents, amount = fig("patents", 120, 100), fig("amount", 5, 10)
    _group([patents, amount], ["talent"])
    assert patents.met and patents.status_label == "已达成"
    assert amount.met is False and amount.alternative_met
    assert amount.status_label == "已通过同组另一指标达成"
    neither_a, neither_b = fig("a", 1, 100), fig("b", 1, 10)
    _group([neither_a, neither_b], ["talent"])
    assert not neither_a.alternative_met and neither_a.status_label == "未达成"

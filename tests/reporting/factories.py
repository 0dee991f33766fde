"""Factories of reporting."""

from __future__ import annotations

import datetime as dt

import factory

from portal.programme import ProgrammeLine
from reporting.models import KpiDefinition, Project, ReportingPeriod


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sd-ipo-{n}")
    name = "山东省知识产权运营服务体系建设项目"
    programme_lines = factory.LazyFunction(lambda: [ProgrammeLine.TALENT.value])
    funder_name = "国家知识产权局"
    starts_on = dt.date(2025, 7, 1)
    ends_on = dt.date(2027, 6, 30)


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("label",)

    kind = ReportingPeriod.Kind.YEAR
    label = "2026"
    start = dt.date(2026, 1, 1)
    end = dt.date(2027, 1, 1)


class KpiDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiDefinition
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-kpi-{n}")
    programme_line = ProgrammeLine.INDUSTRY_OPERATIONS
    position = 100
    name_zh = "测试指标"
    name_en = "Test KPI"
    target_value = 10
    unit = "items"
    comparison = "gte"
    measure = "patents_held"
    measure_params = factory.LazyFunction(dict)

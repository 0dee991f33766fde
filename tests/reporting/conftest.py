from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from patents.models import Patent
from portal.programme import ProgrammeLine
from reporting import measures
from tests.factories import InventorMentionFactory, PatentFactory, UserFactory

from .factories import PeriodFactory, ProjectFactory


def at(y, m, d, hh=12, mm=0):
    """An aware datetime in the portal's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def loaded_patent(when: dt.datetime, **kwargs) -> Patent:
    patent = PatentFactory(**kwargs)
    # created_at is auto_now_add; back-date it to when the record was loaded.
    Patent.objects.filter(pk=patent.pk).update(created_at=when)
    return patent


@pytest.fixture(autouse=True)
def _seeded_kpis(request):
    """The KPI definitions seeded by migration 0002. Transactional tests flush every
    table afterwards, data migrations included, so put them back (idempotently)."""
    if "django_db_setup" not in request.fixturenames:
        return
    from importlib import import_module

    from django.apps import apps

    request.getfixturevalue("_django_db_helper")
    import_module("reporting.migrations.0002_seed_kpi_definitions").seed(apps, None)


@pytest.fixture(autouse=True)
def _after_2026(monkeypatch):
    """The fixtures record a 2026 that is over: measures see "now" in mid-2027."""
    monkeypatch.setattr(measures, "now", lambda: at(2027, 6, 1))


@pytest.fixture(autouse=True)
def _eager_reports(request):
    """Run report tasks in-process, also when REDIS_URL points at a real broker;
    tests marked ``celery_worker`` use a real worker instead."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    return UserFactory(username="staff1", roles=["centre_staff"])


@pytest.fixture
def funder(db):
    return UserFactory(username="funder1", roles=["funder"])


@pytest.fixture
def project(db, funder):
    project = ProjectFactory(code="sd-talent", programme_lines=[ProgrammeLine.TALENT.value])
    project.funders.add(funder)
    return project


@pytest.fixture
def year_2026(db):
    return PeriodFactory()


@pytest.fixture
def talent_year(db):
    """Patents and inventor mentions loaded across 2025-2027, at the year edges."""
    records = {
        # Shanghai time: 23:30 on 31 Dec 2025 is still 2025.
        "before": loaded_patent(at(2025, 12, 31, 23, 30), title="一种高压输电线路巡检机器人"),
        "jan": loaded_patent(at(2026, 1, 1, 0, 10), title="一种水电站高压输电线路驱鸟保护装置"),
        "mar": loaded_patent(at(2026, 3, 15)),
        "dec": loaded_patent(at(2026, 12, 31, 23, 50)),
        "after": loaded_patent(at(2027, 1, 1, 0, 5)),
    }
    InventorMentionFactory(
        patent=records["jan"],
        sequence=0,
        raw_name="王伟",
        normalized_name="王伟",
        affiliation="山东大学",
    )
    InventorMentionFactory(
        patent=records["mar"], sequence=0, raw_name="李娜", normalized_name="李娜"
    )
    InventorMentionFactory(
        patent=records["after"], sequence=0, raw_name="张敏", normalized_name="张敏"
    )
    return records


@pytest.fixture
def fake_measure():
    """Register measures for one test only; the registry is restored afterwards."""
    added: list[str] = []

    def register(name, func, **options):
        options.setdefault("label", name)
        options.setdefault("columns", (measures.Column("record"),))
        measures.measure(name, **options)(func)
        added.append(name)
        return measures.MEASURES[name]

    yield register
    for name in added:
        measures.MEASURES.pop(name, None)

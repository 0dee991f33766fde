"""Celery tasks of reporting: thin wrappers over services, routed to the ``reports``
queue by ``CELERY_TASK_ROUTES`` (``reporting.tasks.*``)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="reporting.tasks.report_render_task")
def report_render_task(*, report_id: int) -> int:
    report = services.report_render(report_id=report_id)
    return report.pk


@shared_task(name="reporting.tasks.reports_prepare_quarter_drafts_task")
def reports_prepare_quarter_drafts_task() -> int:
    return len(services.reports_prepare_quarter_drafts())


@shared_task(name="reporting.tasks.kpi_cache_warm_task")
def kpi_cache_warm_task() -> int:
    return services.kpi_cache_warm()


@shared_task(name="reporting.tasks.held_counts_refresh_task")
def held_counts_refresh_task() -> int:
    return services.held_counts_refresh()

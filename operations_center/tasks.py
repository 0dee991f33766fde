"""Celery tasks of operations_center: thin wrappers over services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import IndustryChain, NavigationReport, TaggingRun


@shared_task(acks_late=True)
def chain_tag_task(run_id: int) -> None:
    from .selectors.landscape import landscape_warm
    from .services.facts import navigation_facts_refresh
    from .services.tagging import chain_tag

    run = TaggingRun.objects.select_related("chain").get(pk=run_id)
    if run.status == TaggingRun.Status.SUCCEEDED:
        return  # redelivered after success: nothing to do
    TaggingRun.objects.filter(pk=run.pk).update(
        status=TaggingRun.Status.RUNNING, started_at=timezone.now()
    )

    def progress(done: int, total: int) -> None:
        TaggingRun.objects.filter(pk=run.pk).update(steps_done=done, steps_total=total)

    try:
        written = chain_tag(chain=run.chain, full=run.full, progress=progress)
        navigation_facts_refresh(chain=run.chain)
        landscape_warm(chain=run.chain)
    except Exception as exc:
        TaggingRun.objects.filter(pk=run.pk).update(
            status=TaggingRun.Status.FAILED, message=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    TaggingRun.objects.filter(pk=run.pk).update(
        status=TaggingRun.Status.SUCCEEDED, tags_written=written, finished_at=timezone.now()
    )


@shared_task
def navigation_facts_refresh_all_task() -> None:
    """Nightly (beat): rebuild every chain's aggregates."""
    from .selectors.landscape import landscape_warm
    from .services.facts import navigation_facts_refresh, region_totals_refresh

    region_totals_refresh()
    for chain in IndustryChain.objects.all():
        navigation_facts_refresh(chain=chain, with_totals=False)
        landscape_warm(chain=chain)


@shared_task(acks_late=True)
def navigation_report_task(report_id: int) -> None:
    from .services.reports import navigation_report_build

    report = NavigationReport.objects.get(pk=report_id)
    if report.status == NavigationReport.Status.SUCCEEDED:
        return
    navigation_report_build(report=report)


@shared_task
def chains_tag_changed_task() -> int:
    """Beat: tag the patents changed since each chain's last run (incremental).

    The safety net behind the after-import hook (a crashed worker, rows written
    by other means); a chain with a run queued or running is left to it.
    """
    from patents.models import Patent

    started = 0
    for chain in IndustryChain.objects.all():
        if chain.tagged_at and not Patent.objects.filter(updated_at__gte=chain.tagged_at).exists():
            continue
        if tagging_run_enqueue_if_idle(chain=chain) is not None:
            started += 1
    return started


def chains_tag_after_import(*, outcome) -> None:
    """After an import (patents.hooks): an incremental tagging run per chain."""
    for chain in IndustryChain.objects.all():
        tagging_run_enqueue_if_idle(chain=chain)


def tagging_run_enqueue_if_idle(*, chain: IndustryChain) -> TaggingRun | None:
    """An incremental run, unless one is already queued or running for the chain."""
    # A run queued or running for over an hour was lost with its worker.
    busy = TaggingRun.objects.filter(
        chain=chain,
        status__in=(TaggingRun.Status.QUEUED, TaggingRun.Status.RUNNING),
        created_at__gte=timezone.now() - dt.timedelta(hours=1),
    )
    if busy.exists():
        return None
    with transaction.atomic():
        return tagging_run_enqueue(chain=chain, full=False)


def tagging_run_enqueue(*, chain: IndustryChain, full: bool = False, user=None) -> TaggingRun:
    run = TaggingRun.objects.create(chain=chain, full=full, created_by=user)
    transaction.on_commit(lambda: chain_tag_task.delay(run.pk))
    return run


def navigation_report_enqueue(*, chain, region_code, year_from, year_to, user=None):
    report = NavigationReport.objects.create(
        chain=chain, region_code=region_code, year_from=year_from, year_to=year_to, created_by=user
    )
    transaction.on_commit(lambda: navigation_report_task.delay(report.pk))
    return report

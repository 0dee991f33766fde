"""Celery tasks of the search service: thin wrappers, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, name="patents.search_index")
def search_index(patent_ids: list[int]) -> int:
    from .indexing import search_index_patents

    return search_index_patents(patent_ids=patent_ids)


@shared_task(acks_late=True, name="patents.search_sweep")
def search_sweep() -> int:
    from .indexing import search_index_sweep

    return search_index_sweep()


@shared_task(acks_late=True, name="patents.saved_searches_run")
def saved_searches_run() -> int:
    from .saved import saved_search_run_all

    return saved_search_run_all()

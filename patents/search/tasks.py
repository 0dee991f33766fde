"""Celery tasks of the search service: thin wrappers, idempotent.

Indexing tasks retry while the index's single writer lock is held by another
process (tantivy: ``SearchIndexBusy``), with exponential backoff up to a minute;
anything still missed after the last retry is re-indexed by the sweep, which
retries the same way and only advances its watermark when it completes.
"""

from __future__ import annotations

from celery import shared_task

from .types import SearchIndexBusy

WRITER_RETRY = dict(
    autoretry_for=(SearchIndexBusy,),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=30,
)


@shared_task(acks_late=True, name="patents.search_index", **WRITER_RETRY)
def search_index(*, patent_ids: list[int]) -> int:
    from .indexing import search_index_patents

    return search_index_patents(patent_ids=patent_ids)


@shared_task(acks_late=True, name="patents.search_sweep", **WRITER_RETRY)
def search_sweep() -> int:
    from .indexing import search_index_sweep

    return search_index_sweep()


@shared_task(acks_late=True, name="patents.saved_searches_run")
def saved_searches_run() -> int:
    from .saved import saved_search_run_all

    return saved_search_run_all()

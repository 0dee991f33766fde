"""Keeping the search index in step with the patent tables.

Writes call ``index_patents_after_commit(patent_ids)``: once the transaction
commits, a Celery task re-indexes those rows (in-process in embedded mode). The
``patents.search_sweep`` beat task re-indexes every patent whose ``updated_at``
is newer than the previous sweep, so a lost task or a bulk write that skipped
the hook is caught within one sweep interval. Each backend keeps its own
watermark, so the first sweep on a newly chosen backend fills its index.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from portal.background import task_enqueue

from ..models import InventorMention, Patent, PatentApplicant, SearchIndexState
from .analysis import segmenter
from .backends import backend_name, get_backend
from .documents import PATENT_ROW_FIELDS, ApplicantRow, PatentDocument, PatentRow, build_document

CHUNK = 500
TASK_IDS = 5000
# An indexing call of at least this many chunks builds its documents in worker
# processes; smaller ones (every indexing task) stay in the task's process, whose
# analysis caches are warm from the tasks before.
PARALLEL_MIN_CHUNKS = 40
# Documents handed to the backend per write (one tantivy commit each).
WRITE_BATCH = 20_000
SWEEP_STATE = "sweep"


def sweep_state_name() -> str:
    """One watermark per backend: the first sweep after a backend is chosen (e.g. an
    upgrade that makes tantivy the PostgreSQL default) indexes every patent."""
    name = backend_name()
    return SWEEP_STATE if name == "database" else f"{SWEEP_STATE}:{name}"


@contextmanager
def _gc_paused():
    """Building documents allocates millions of small tuples and lists, none in a
    reference cycle; Python's cyclic collector kept re-scanning them and the
    analysis caches, which was half the CPU of a warm run (111 -> 58 us a patent)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def patent_documents(patent_ids: Sequence[int]) -> list[PatentDocument]:
    """Documents for these patents, read as plain rows in three queries (no ORM
    instances), in id order; ids of deleted patents are simply absent."""
    with _gc_paused():
        return _patent_documents(list(patent_ids))


def _patent_documents(ids: list[int]) -> list[PatentDocument]:
    patents = [
        PatentRow(*row)
        for row in _with_ids(Patent.objects, "patents_patent.id", ids)
        .order_by("pk")
        .values_list(*PATENT_ROW_FIELDS)
    ]
    applicants: dict[int, list[ApplicantRow]] = defaultdict(list)
    for patent_id, raw_name, kind, region_id in (
        _with_ids(PatentApplicant.objects, "patents_patentapplicant.patent_id", ids)
        .order_by("patent_id", "sequence")
        .values_list("patent_id", "raw_name", "organization__kind", "organization__region_id")
    ):
        applicants[patent_id].append(ApplicantRow(raw_name, kind, region_id))
    inventors: dict[int, list[str]] = defaultdict(list)
    for patent_id, name in (
        _with_ids(InventorMention.objects, "patents_inventormention.patent_id", ids)
        .order_by("patent_id", "sequence")
        .values_list("patent_id", "raw_name")
    ):
        inventors[patent_id].append(name)
    return [build_document(p, applicants[p.pk], inventors[p.pk]) for p in patents]


def _with_ids(manager, column: str, ids: list[int]):
    """``column IN ids``. On PostgreSQL one array parameter (``= ANY(%s)``): Django's
    ``__in`` resolves every id as its own parameter, which cost more than the query."""
    if connection.vendor == "postgresql":
        return manager.extra(where=[f"{column} = ANY(%s)"], params=[ids])
    return manager.filter(**{column.rsplit(".", 1)[1] + "__in": ids})


def index_workers() -> int:
    """Processes that build documents (``SEARCH_INDEX_WORKERS``; default: one per
    core on PostgreSQL, 1 on SQLite, whose test databases a forked process cannot see)."""
    configured = getattr(settings, "SEARCH_INDEX_WORKERS", None)
    if configured:
        return max(1, int(configured))
    if connection.vendor != "postgresql":
        return 1
    return max(1, min(8, os.cpu_count() or 1))


def _worker_init() -> None:
    # The parent closed its connection before forking: each worker opens its own.
    connection.close()
    # What the worker inherited stays put: the collector neither scans it nor
    # touches its pages (which would copy them from the parent).
    gc.freeze()


def _documents_of(chunk: Sequence[int]) -> list[PatentDocument]:
    return patent_documents(chunk)


def document_batches(
    chunks: Iterable[Sequence[int]], *, workers: int | None = None
) -> Iterator[list[PatentDocument]]:
    """Documents per id chunk, in order. With more than one worker the chunks are
    read and analysed in forked processes (the segmenter and its dictionary are
    loaded once, before the fork, and shared copy-on-write) while this process
    feeds the index; the analysis is pure Python, so processes, not threads."""
    workers = index_workers() if workers is None else workers
    if workers <= 1 or connection.in_atomic_block:
        for chunk in chunks:
            yield patent_documents(chunk)
        return
    segmenter()
    # A forked child must not share this process's database socket.
    connection.close()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_init) as pool:
        yield from pool.imap(_documents_of, chunks)


def search_index_patents(*, patent_ids: Iterable[int], target_index: str | None = None) -> int:
    """(Re-)index these patents; ids of deleted patents are removed. Idempotent.

    ``target_index``: Elasticsearch only, the new index a rebuild is filling.
    Documents go to the backend in writes of up to ``WRITE_BATCH`` (one tantivy
    commit each, not one per 500)."""
    ids = list(dict.fromkeys(int(i) for i in patent_ids))
    backend = get_backend()
    indexed = 0
    chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
    workers = index_workers() if len(chunks) >= PARALLEL_MIN_CHUNKS else 1
    pending: list[PatentDocument] = []
    pending_ids: list[int] = []

    def write() -> int:
        with transaction.atomic():
            if target_index:
                backend.index(pending, index=target_index)
            else:
                backend.index(pending)
                gone = set(pending_ids) - {d.patent_id for d in pending}
                if gone:
                    backend.delete(sorted(gone))
        return len(pending)

    for chunk, documents in zip(chunks, document_batches(chunks, workers=workers), strict=True):
        pending += documents
        pending_ids += chunk
        if len(pending_ids) >= WRITE_BATCH:
            indexed += write()
            pending, pending_ids = [], []
    if pending_ids:
        indexed += write()
    return indexed


def index_patents_after_commit(patent_ids: Iterable[int]) -> None:
    """Queue indexing of these patents once the current transaction commits."""
    ids = [int(i) for i in patent_ids]
    if not ids:
        return

    # One task per importer batch (5,000 by default): each task is one tantivy
    # commit, and commits, not documents, were the indexing's fixed cost.
    for start in range(0, len(ids), TASK_IDS):
        task_enqueue("patents.search_index", patent_ids=ids[start : start + TASK_IDS])


def search_index_sweep(*, now: dt.datetime | None = None) -> int:
    """Re-index patents updated since the last sweep; returns how many."""
    now = now or timezone.now()
    state_name = sweep_state_name()
    state = SearchIndexState.objects.filter(name=state_name).first()
    since = state.swept_until if state else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    # A little overlap: a transaction that committed late with an earlier
    # updated_at is still picked up; re-indexing is idempotent.
    since -= dt.timedelta(minutes=5)
    ids = Patent.objects.filter(updated_at__gt=since, updated_at__lte=now).values_list(
        "pk", flat=True
    )
    count = 0
    batch: list[int] = []
    for pk in ids.iterator(chunk_size=5000):
        batch.append(pk)
        if len(batch) >= CHUNK:
            count += search_index_patents(patent_ids=batch)
            batch = []
    if batch:
        count += search_index_patents(patent_ids=batch)
    SearchIndexState.objects.update_or_create(name=state_name, defaults={"swept_until": now})
    return count


def _patent_id_chunks(chunk_size: int):
    last = 0
    while True:
        chunk = list(
            Patent.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:chunk_size]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def search_index_rebuild(
    *,
    chunk_size: int = 2000,
    stdout=None,
    target_index: str | None = None,
    lock_wait: float = 300.0,
) -> int:
    """Index every patent. database: rows are upserted in place; tantivy: the
    index is replaced in one commit (waiting up to ``lock_wait`` seconds for the
    writer lock); elasticsearch: ``target_index`` is filled, the caller swaps."""
    backend = get_backend()
    if target_index is None and hasattr(backend, "rebuild"):
        # Ids first (8 bytes each), so the workers' chunks need no cursor here.
        ids = list(Patent.objects.order_by("pk").values_list("pk", flat=True))
        chunks = [ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size)]

        def batches():
            done = 0
            for documents in document_batches(chunks):
                done += len(documents)
                yield documents
                if stdout is not None:
                    stdout.write(f"indexed {done}")

        return backend.rebuild(batches(), wait=lock_wait)
    count = 0
    for chunk in _patent_id_chunks(chunk_size):
        count += search_index_patents(patent_ids=chunk, target_index=target_index)
        if stdout is not None:
            stdout.write(f"indexed {count}")
    return count

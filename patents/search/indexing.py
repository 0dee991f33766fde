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
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from portal.background import task_enqueue

from ..models import InventorMention, Patent, PatentApplicant, SearchIndexState
from .backends import backend_name, get_backend
from .documents import PatentDocument, build_document

CHUNK = 500
SWEEP_STATE = "sweep"


def sweep_state_name() -> str:
    """One watermark per backend: the first sweep after a backend is chosen (e.g. an
    upgrade that makes tantivy the PostgreSQL default) indexes every patent."""
    name = backend_name()
    return SWEEP_STATE if name == "database" else f"{SWEEP_STATE}:{name}"


def patent_documents(patent_ids: Sequence[int]) -> list[PatentDocument]:
    patents = Patent.objects.filter(pk__in=patent_ids).only(
        "pk",
        "publication_number",
        "application_number",
        "country",
        "patent_type",
        "legal_status",
        "title",
        "abstract",
        "main_ipc",
        "ipc_codes",
        "main_cpc",
        "cpc_codes",
        "publication_date",
    )
    applicants: dict[int, list[PatentApplicant]] = defaultdict(list)
    for link in (
        PatentApplicant.objects.filter(patent_id__in=patent_ids)
        .select_related("organization")
        .order_by("patent_id", "sequence")
    ):
        applicants[link.patent_id].append(link)
    inventors: dict[int, list[str]] = defaultdict(list)
    for patent_id, name in (
        InventorMention.objects.filter(patent_id__in=patent_ids)
        .order_by("patent_id", "sequence")
        .values_list("patent_id", "raw_name")
    ):
        inventors[patent_id].append(name)
    return [build_document(p, applicants[p.pk], inventors[p.pk]) for p in patents]


def search_index_patents(*, patent_ids: Iterable[int], target_index: str | None = None) -> int:
    """(Re-)index these patents; ids of deleted patents are removed. Idempotent.

    ``target_index``: Elasticsearch only, the new index a rebuild is filling."""
    ids = list(dict.fromkeys(int(i) for i in patent_ids))
    backend = get_backend()
    indexed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        documents = patent_documents(chunk)
        with transaction.atomic():
            if target_index:
                backend.index(documents, index=target_index)
                indexed += len(documents)
                continue
            backend.index(documents)
            gone = set(chunk) - {d.patent_id for d in documents}
            if gone:
                backend.delete(sorted(gone))
        indexed += len(documents)
    return indexed


def index_patents_after_commit(patent_ids: Iterable[int]) -> None:
    """Queue indexing of these patents once the current transaction commits."""
    ids = [int(i) for i in patent_ids]
    if not ids:
        return

    for start in range(0, len(ids), CHUNK * 4):
        task_enqueue("patents.search_index", patent_ids=ids[start : start + CHUNK * 4])


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

        def batches():
            done = 0
            for chunk in _patent_id_chunks(chunk_size):
                documents = patent_documents(chunk)
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

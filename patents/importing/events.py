"""Legal events (transfers, licences, pledges, preservations) of imported records.

They are written after the patents themselves, once the writer has closed (a
pipelined writer may still hold the last batches until then). Idempotent: a
re-import replaces the events that the same dataset recorded for a patent.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from ..models import Patent, PatentLegalEvent
from .records import LegalEventRecord

CHUNK = 1000


def legal_events_store(
    *, events: Iterable[tuple[str, list[LegalEventRecord]]], dataset: str
) -> int:
    """Store ``(publication number, events)`` pairs; returns how many events were written."""
    pending = [(number, records) for number, records in events if records]
    written = 0
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start : start + CHUNK]
        ids = dict(
            Patent.objects.filter(publication_number__in=[n for n, _r in chunk]).values_list(
                "publication_number", "id"
            )
        )
        rows = [
            PatentLegalEvent(
                patent_id=ids[number],
                kind=record.kind,
                date=record.date,
                raw=record.raw[:160],
                source_dataset=dataset[:32],
            )
            for number, records in chunk
            if number in ids
            for record in records
        ]
        with transaction.atomic():
            PatentLegalEvent.objects.filter(
                patent_id__in=ids.values(), source_dataset=dataset[:32]
            ).delete()
            PatentLegalEvent.objects.bulk_create(rows)
        written += len(rows)
    return written

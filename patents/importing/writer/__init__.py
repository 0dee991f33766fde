"""Batched, idempotent upserts of parsed patent records.

Importing the same file twice leaves the same rows: patents are upserted on
their publication number, and a patent's applicants, inventor mentions and
classifications are replaced as a whole on every write, so a newer file
updates a record completely. Organizations are matched on their normalised
name and only ever gain information. Every patent row carries its source
dataset, file and line.

- ``base``: provenance, results, records → rows (shared by all writers);
- ``orm.OrmWriter``: Django's ``bulk_create``, any backend (SQLite in embedded mode);
- ``postgres.PostgresCopyWriter``: ``COPY`` straight into the tables for new
  numbers, a staged ``INSERT … ON CONFLICT`` for existing ones;
- ``pipeline.PipelinedWriter``: the same on two threads/connections, so Python
  and the PostgreSQL backend work at the same time;
- ``copy``: COPY payload formatting.

``make_writer`` picks one; callers use only ``write`` and ``close``.
"""

from __future__ import annotations

from django.db import connection

from .base import PATENT_COLUMNS, BaseWriter, Source, WriteResult
from .orm import OrmWriter
from .pipeline import PipelinedWriter
from .postgres import PostgresCopyWriter

__all__ = [
    "PATENT_COLUMNS",
    "BaseWriter",
    "OrmWriter",
    "PipelinedWriter",
    "PostgresCopyWriter",
    "Source",
    "WriteResult",
    "make_writer",
]


def make_writer(*, source: Source, pipelined: bool | None = None) -> BaseWriter:
    """The fastest writer the connection allows. On PostgreSQL outside a transaction
    the writer is pipelined (a loader thread with its own connection); inside one
    (tests, callers that need the import in their transaction) it writes
    synchronously on the caller's connection."""
    if connection.vendor != "postgresql":
        return OrmWriter(source=source)
    if pipelined is None:
        pipelined = not connection.in_atomic_block
    if pipelined:
        return PipelinedWriter(source=source)
    return PostgresCopyWriter(source=source)

"""Two cores for one import: format on this thread, load on another connection.

``PipelinedWriter`` runs ``PostgresCopyWriter.prepare`` (parsing has already
happened on this thread; preparing is the rest of the Python work) in the
caller's thread and hands each prepared batch through a bounded queue to a
loader thread that runs ``apply`` on its own database connection. While the
loader's PostgreSQL backend works on batch *n*, Python prepares batch *n+1*;
psycopg2 releases the GIL while it waits for the server, so the two overlap on
a 2-core machine. At most ``depth`` prepared batches wait in the queue, so
memory stays flat.

Counts stay exact: ``write`` returns the counts of batches the loader has
committed since the last call, ``close`` waits for the rest. A loader error
is re-raised in the caller's thread on its next ``write`` or ``close``;
batches committed before it stay committed (as with the synchronous writer).
"""

from __future__ import annotations

import queue
import threading

from django.db import connection

from ..records import PatentRecord
from .base import BaseWriter, Source, WriteResult
from .postgres import PostgresCopyWriter

_STOP = object()


class PipelinedWriter(BaseWriter):
    def __init__(self, *, source: Source, depth: int = 2) -> None:
        super().__init__(source=source)
        self.inner = PostgresCopyWriter(source=source)
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._lock = threading.Lock()
        self._done = WriteResult()
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._load, name="import-loader", daemon=True)
        self._thread.start()

    def write(self, records: list[PatentRecord]) -> WriteResult:
        self._raise_if_failed()
        # Autocommit: the organization upsert commits at once (organizations only
        # ever gain information), the id reservation is not transactional anyway.
        with connection.cursor() as cursor:
            prepared = self.inner.prepare(cursor, records)
        self._queue.put(prepared)
        return self._take_done()

    def close(self) -> WriteResult:
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
            self._thread.join()
        self._raise_if_failed()
        return self._take_done()

    def _take_done(self) -> WriteResult:
        with self._lock:
            done, self._done = self._done, WriteResult()
        return done

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _load(self) -> None:
        try:
            self._load_batches()
        finally:
            # This thread's own connection (Django connections are per thread).
            connection.close()

    def _load_batches(self) -> None:
        while (prepared := self._queue.get()) is not _STOP:
            if self._error is not None:
                continue  # drain, so the producer never blocks on a dead loader
            try:
                with connection.cursor() as cursor:
                    result = self.inner.apply(cursor, prepared)
            except BaseException as exc:  # re-raised in the caller's thread
                self._error = exc
                continue
            with self._lock:
                self._done.add(result)

"""Run one import: parse, batch, write, count, report."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.exports import csv_row

from .events import legal_events_store
from .formats import get_parser
from .records import LegalEventRecord, PatentRecord, RowError
from .source import ImportSource
from .writer import Source, make_writer

ProgressCallback = Callable[[int, int], None]


@dataclass(slots=True)
class ImportOutcome:
    read: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    legal_events: int = 0
    error_report: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "rejected": self.rejected,
            "legal_events": self.legal_events,
            "error_report": str(self.error_report) if self.error_report else None,
        }


class _ErrorReport:
    """CSV of rejected rows, created on the first error only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle = None
        self._writer = None

    def add(self, error: RowError) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # BOM so Excel opens the Chinese reasons correctly.
            self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["line", "reason", "excerpt"])
        self._writer.writerow(csv_row([error.line, error.reason, error.excerpt]))

    def close(self) -> Path | None:
        if self._handle is None:
            return None
        self._handle.close()
        return self.path


def import_file(
    *,
    path: Path,
    format: str,
    options: dict[str, Any] | None = None,
    dataset: str | None = None,
    import_job_id: int | None = None,
    error_report_path: Path,
    progress: ProgressCallback | None = None,
    batch_size: int = 2000,
) -> ImportOutcome:
    """Import ``path`` in ``format``; good rows land even when others are rejected."""
    options = options or {}
    parse, default_dataset = get_parser(format)
    source = ImportSource(path=Path(path), encoding=options.get("encoding", "auto"))
    dataset = dataset or default_dataset
    writer = make_writer(
        source=Source(
            dataset=dataset,
            file=Path(path).name,
            import_job_id=import_job_id,
        )
    )
    outcome = ImportOutcome()
    report = _ErrorReport(error_report_path)
    total = source.bytes_total
    batch: list[PatentRecord] = []
    # Changes of rights are sparse: kept aside and stored once the patents exist.
    events: list[tuple[str, list[LegalEventRecord]]] = []

    def flush() -> None:
        result = writer.write(batch)
        outcome.created += result.created
        outcome.updated += result.updated
        batch.clear()
        if progress:
            progress(source.bytes_read, total)

    last_line = 0
    try:
        try:
            for item in parse(source, options):
                # "read" counts source rows: a row naming several publications yields
                # several records with the same line number, in order.
                if isinstance(item, RowError) and not item.counted:
                    report.add(item)
                    continue
                line = item.line if isinstance(item, RowError) else item.source_line
                if line != last_line:
                    outcome.read += 1
                    last_line = line
                if isinstance(item, RowError):
                    outcome.rejected += 1
                    report.add(item)
                    continue
                batch.append(item)
                if item.legal_events:
                    events.append((item.publication_number, item.legal_events))
                if len(batch) >= batch_size:
                    flush()
            if batch:
                flush()
        finally:
            # A pipelined writer reports its last batches (and any load error) here.
            result = writer.close()
            outcome.created += result.created
            outcome.updated += result.updated
    finally:
        source.close()
        outcome.error_report = report.close()
    if events:
        outcome.legal_events = legal_events_store(events=events, dataset=dataset)
    if progress:
        progress(total, total)
    return outcome

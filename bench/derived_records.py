"""Load data DERIVED FROM REAL RECORDS, shared by the benchmarks, the fault drills
and the fault tests (tests/test_celery_worker_import.py).

Real records are parsed by the real parsers, then replayed round-robin with a NEW
publication number: serials from ``SERIAL_BASE`` (900,000,000) up, a range no real
record uses, so derived rows never collide with real ones. Titles, codes,
applicants and inventors are the real ones; nothing is invented.

Imported lazily (no Django at module import) so tests can use it inside their
own configured process.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
SERIAL_BASE = 900_000_000
CN_TITLES = DATA / "cn_patents_zh" / "cn_patent_titles_ipc_subclasses.csv"


def real_records(path: Path, fmt: str) -> list:
    """Every record the real parser reads from ``path`` (rejected rows dropped)."""
    from patents.importing.formats import get_parser
    from patents.importing.records import PatentRecord
    from patents.importing.source import ImportSource

    parse, _dataset = get_parser(fmt)
    source = ImportSource(path=path)
    try:
        return [r for r in parse(source, {}) if isinstance(r, PatentRecord)]
    finally:
        source.close()


def derived(
    templates: list,
    size: int,
    batch: int,
    part: int = 0,
    parts: int = 1,
    serial_base: int = SERIAL_BASE,
) -> Iterator[list]:
    """Batches of records copied from the real ones with new publication numbers
    (every ``parts``-th one from ``part``, so parallel writers never overlap)."""
    out: list = []
    for i in range(part, size, parts):
        template = templates[i % len(templates)]
        out.append(
            dataclasses.replace(
                template,
                publication_number=f"{template.country}{serial_base + i}{template.kind_code}",
                source_line=i + 1,
            )
        )
        if len(out) == batch:
            yield out
            out = []
    if out:
        yield out


def write_cn_title_ipc_file(
    path: Path, *, rows: int, serial_base: int = SERIAL_BASE
) -> list[tuple[str, list[str]]]:
    """Write a CN title/IPC CSV (the ``cn-title-ipc`` import format) of ``rows`` rows
    derived from the real CN records (data/cn_patents_zh, ~8k records) with
    :func:`derived`; one publication number a row. Returns ``(publication number,
    IPC codes)`` of each row, so a caller can check what the import must produce."""
    templates = real_records(CN_TITLES, "cn-title-ipc")
    written: list[tuple[str, list[str]]] = []
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["publication_numbers", "title_zh", "ipc_subclasses"])
        for batch in derived(templates, rows, 10_000, serial_base=serial_base):
            writer.writerows([r.publication_number, r.title, "|".join(r.ipc_codes)] for r in batch)
            written.extend((r.publication_number, r.ipc_codes) for r in batch)
    return written

"""Bulk import benchmark: N patents into PostgreSQL through the importer's COPY writer.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/import_bench.py --size 1000000

The records are DERIVED FROM REAL RECORDS: every real record shipped in data/
(CN titles/IPC, Lens, PatentsView, Google Patents: ~24k) is parsed once by the
real parsers, then replayed round-robin with a NEW publication number (serials
from 900000000 up, so they never collide with real ones; bench/derived_records.py)
and dataset label ``bench``. Titles, abstracts, applicants, inventor mentions and
IPC/CPC codes are the real ones; nothing is invented. Each written patent therefore carries
its applicants (organizations upserted by normalized name), inventor mentions
and classification rows, exactly like an import.

It measures the write path ``import_patents`` takes on PostgreSQL
(``patents.importing.writer.make_writer``: the pipelined ``PostgresCopyWriter``,
or the synchronous one with ``--no-pipeline``) and, separately, how fast the
parsers read the real files. Prints patents/s, child rows written, peak
memory (max RSS) of the process, and where the CPU went (this process vs the
PostgreSQL backends).

Needs PostgreSQL (migrates the database it is pointed at). ``--reset`` first
deletes earlier bench rows.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.derived_records import derived  # noqa: E402
from patents.importing.formats import get_parser  # noqa: E402
from patents.importing.records import PatentRecord  # noqa: E402
from patents.importing.source import ImportSource  # noqa: E402
from patents.importing.writer import PipelinedWriter, Source, make_writer  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"
REAL_FILES = (
    ("cn_patents_zh/cn_patent_titles_ipc_subclasses.csv", "cn-title-ipc"),
    ("multi_jurisdiction_lens_covid/lens_covid_patents.csv.gz", "lens"),
    ("us_patents_patentsview_nvidia", "patentsview"),
    (
        "us_patents_koehrsen_abstracts/google_patents_search_results_with_abstracts.csv.gz",
        "google-patents",
    ),
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def load_templates() -> tuple[list[PatentRecord], float]:
    templates: list[PatentRecord] = []
    started = time.perf_counter()
    for relative, fmt in REAL_FILES:
        parse, _dataset = get_parser(fmt)
        source = ImportSource(path=DATA / relative)
        try:
            templates.extend(r for r in parse(source, {}) if isinstance(r, PatentRecord))
        finally:
            source.close()
    return templates, time.perf_counter() - started


def table_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="patents to write")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--reset", action="store_true", help="delete earlier bench rows first")
    parser.add_argument(
        "--workers", type=int, default=1, help="parallel writer processes (one connection each)"
    )
    parser.add_argument(
        "--no-pipeline",
        action="store_true",
        help="write synchronously on one connection (default: prepare and load on two threads)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    call_command("migrate", verbosity=0)
    if args.reset:
        bench_ids = "SELECT id FROM patents_patent WHERE source_dataset = 'bench'"
        with connection.cursor() as cursor:
            for child in (
                "patents_patentapplicant",
                "patents_inventormention",
                "patents_patentclassification",
            ):
                cursor.execute(f"DELETE FROM {child} WHERE patent_id IN ({bench_ids})")
            cursor.execute("DELETE FROM patents_patent WHERE source_dataset = 'bench'")

    templates, parse_seconds = load_templates()
    print(
        f"parsed {len(templates):,} real records in {parse_seconds:.1f}s "
        f"({len(templates) / parse_seconds:,.0f} records/s through the parsers)"
    )
    before = {
        t: table_count(t)
        for t in (
            "patents_patent",
            "patents_patentapplicant",
            "patents_inventormention",
            "patents_patentclassification",
            "patents_organization",
        )
    }
    started = time.perf_counter()
    if args.workers == 1:
        written, created, cpu = write_part(templates, args, 0)
    else:
        # Forked writers share the parsed templates copy-on-write; each opens its
        # own connection (closed here first so none is inherited).
        connection.close()
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            results = pool.starmap(
                write_part, [(templates, args, part) for part in range(args.workers)]
            )
        written, created, cpu = (sum(r[i] for r in results) for i in range(3))
    seconds = time.perf_counter() - started
    after = {t: table_count(t) for t in before}
    print(
        f"wrote {written:,} patents ({created:,} new) in {seconds:,.1f}s with "
        f"{args.workers} writer process(es) using {cpu:,.1f}s CPU in total; the rest is "
        "PostgreSQL and waiting for a core"
    )
    for table in before:
        print(f"  {table}: +{after[table] - before[table]:,} rows")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    total = peak_rss_mb() + (children * args.workers if args.workers > 1 else 0)
    print(f"RESULT patents/s: {written / seconds:,.0f}")
    print(
        f"RESULT peak memory (max RSS): {total:,.0f} MB in total "
        f"(main {peak_rss_mb():,.0f} MB"
        + (f", largest writer {children:,.0f} MB x {args.workers})" if args.workers > 1 else ")")
    )


def backend_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend (same host only), so the
    figure can be split into our Python work and the database's own work."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _MeasuredPipeline(PipelinedWriter):
    """The pipelined writer, also reading its loader backend's CPU time."""

    loader_cpu = 0.0

    def _load_batches(self) -> None:
        started = backend_cpu_seconds()
        try:
            super()._load_batches()
        finally:
            ended = backend_cpu_seconds()
            if started is not None and ended is not None:
                self.loader_cpu = ended - started


def write_part(templates: list[PatentRecord], args, part: int) -> tuple[int, int, float]:
    source = Source(dataset="bench", file="import_bench.py")
    if args.no_pipeline:
        writer = make_writer(source=source, pipelined=False)
    else:
        writer = _MeasuredPipeline(source=source)
    written = created = 0
    db_cpu_started = backend_cpu_seconds()
    started = time.perf_counter()
    cpu_started = time.process_time()
    last_report = started
    for batch in derived(templates, args.size, args.batch_size, part, args.workers):
        result = writer.write(batch)
        written += len(batch)
        created += result.created
        now = time.perf_counter()
        if now - last_report >= 15:
            print(
                f"  writer {part}: {written:,} patents, {written / (now - started):,.0f}/s, "
                f"peak RSS {peak_rss_mb():,.0f} MB",
                flush=True,
            )
            last_report = now
    created += writer.close().created
    cpu = time.process_time() - cpu_started
    db_cpu_ended = backend_cpu_seconds()
    if db_cpu_started is not None and db_cpu_ended is not None:
        db_cpu = db_cpu_ended - db_cpu_started + getattr(writer, "loader_cpu", 0.0)
        print(
            f"  writer {part}: {cpu:,.1f}s CPU in Python (all threads) + {db_cpu:,.1f}s CPU in "
            f"its PostgreSQL backends = {written / (cpu + db_cpu):,.0f} patents per CPU-second; "
            f"Python {1e6 * cpu / written:,.0f} us + PostgreSQL {1e6 * db_cpu / written:,.0f} us "
            "per patent",
            flush=True,
        )
    connection.close()
    return written, created, cpu


if __name__ == "__main__":
    main()

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

**The recorded figure is import to searchable**: the clock runs from the first
write until the last imported patent of every writer is found by ``patent_search``
(its publication number), i.e. until the search index has caught up, and, with
``--tag-chains``, until every industry chain in the database has been re-tagged
incrementally (``chain_tag``; the chains of operations_center's fixtures are
imported first if there are none). Two modes:

* embedded (no ``REDIS_URL``): Celery tasks run eagerly, so indexing happens in
  the writer's commit hook, in this process;
* broker + worker (``REDIS_URL`` set): ``--celery-workers N`` (default 1) solo
  Celery workers are started for the run and index what the writer queues;
  the writer finishes first and the clock runs on until the worker has caught up.

The database-write-only rate is printed too, but it is not the figure to quote.

Needs PostgreSQL (migrates the database it is pointed at). ``--reset`` first
deletes earlier bench rows.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.derived_records import derived  # noqa: E402
from patents.importing.formats import get_parser  # noqa: E402
from patents.importing.records import PatentRecord  # noqa: E402
from patents.importing.source import ImportSource  # noqa: E402
from patents.importing.writer import PipelinedWriter, Source, make_writer  # noqa: E402
from patents.search.backends import backend_name  # noqa: E402

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
    parser.add_argument(
        "--tag-chains",
        action="store_true",
        help="also wait until every industry chain is re-tagged (incrementally)",
    )
    parser.add_argument(
        "--celery-workers",
        type=int,
        default=1,
        help="with REDIS_URL: Celery workers started for the run (indexing, tagging)",
    )
    parser.add_argument(
        "--searchable-timeout", type=float, default=3600.0, help="give up waiting after (s)"
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
    embedded = bool(settings.CELERY_TASK_ALWAYS_EAGER)
    workers = [] if embedded else start_celery_workers(args.celery_workers)
    mode = "embedded (eager tasks)" if embedded else f"broker + {len(workers)} Celery worker(s)"
    print(f"mode: {mode}; search backend: {backend_name()}", flush=True)
    started = time.perf_counter()
    if args.workers == 1:
        written, created, cpu, last = write_part(templates, args, 0)
        lasts = [last]
    else:
        # Forked writers share the parsed templates copy-on-write; each opens its
        # own connection (closed here first so none is inherited).
        connection.close()
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            results = pool.starmap(
                write_part, [(templates, args, part) for part in range(args.workers)]
            )
        written, created, cpu = (sum(r[i] for r in results) for i in range(3))
        lasts = [r[3] for r in results]
    seconds = time.perf_counter() - started
    try:
        searchable = wait_searchable([n for n in lasts if n], args.searchable_timeout)
        searchable_seconds = time.perf_counter() - started
        tagged_seconds = None
        if args.tag_chains:
            tag_chains()
            tagged_seconds = time.perf_counter() - started
    finally:
        for worker in workers:
            stop_celery_worker(worker)
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
    print(f"database writes only (not the figure to quote): {written / seconds:,.0f} patents/s")
    if not searchable:
        print(f"RESULT import to searchable: NOT searchable after {args.searchable_timeout:,.0f}s")
    else:
        print(
            f"RESULT import to searchable ({mode}): {written:,} patents in "
            f"{searchable_seconds:,.1f}s = {written / searchable_seconds:,.0f} patents/s"
        )
    if tagged_seconds is not None:
        print(
            f"RESULT import to searchable and tagged to chains: {tagged_seconds:,.1f}s = "
            f"{written / tagged_seconds:,.0f} patents/s"
        )
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


def wait_searchable(numbers: list[str], timeout: float) -> bool:
    """Poll the search service until each publication number is found (the last
    patent each writer wrote; a worker indexes its queue in order)."""
    from patents.search import patent_search

    deadline = time.perf_counter() + timeout
    pending = list(numbers)
    while pending:
        pending = [
            n
            for n in pending
            if n not in {h.publication_number for h in patent_search(text=n, highlights=False).hits}
        ]
        if not pending:
            break
        if time.perf_counter() > deadline:
            return False
        time.sleep(0.2)
    return True


def tag_chains() -> None:
    """Re-tag every chain incrementally (the patents changed since its last run)."""
    from operations_center.demo import chains_load
    from operations_center.models import IndustryChain
    from operations_center.services.tagging import chain_tag

    chains = list(IndustryChain.objects.all()) or chains_load()
    for chain in chains:
        t = time.perf_counter()
        written = chain_tag(chain=chain)
        print(f"  chain {chain.slug}: {written:,} tags in {time.perf_counter() - t:,.1f}s")


def start_celery_workers(count: int) -> list:
    """Solo Celery workers on the default queue, logging to a file under var/."""
    from bench.celery_worker import start_solo_worker

    log_path = Path(settings.VAR_DIR) / "import-bench-worker.log"
    log = log_path.open("a")
    print(f"starting {count} Celery worker(s); log in {log_path}", flush=True)
    env = dict(os.environ, LOG_LEVEL="WARNING")
    return [
        start_solo_worker(
            queue=settings.CELERY_TASK_DEFAULT_QUEUE, name=f"bench{i}", env=env, log=log
        )
        for i in range(count)
    ]


def stop_celery_worker(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def write_part(
    templates: list[PatentRecord], args, part: int
) -> tuple[int, int, float, str | None]:
    source = Source(dataset="bench", file="import_bench.py")
    if args.no_pipeline:
        writer = make_writer(source=source, pipelined=False)
    else:
        writer = _MeasuredPipeline(source=source)
    written = created = 0
    last_number = None
    db_cpu_started = backend_cpu_seconds()
    started = time.perf_counter()
    cpu_started = time.process_time()
    last_report = started
    for batch in derived(templates, args.size, args.batch_size, part, args.workers):
        result = writer.write(batch)
        last_number = batch[-1].publication_number
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
    return written, created, cpu, last_number


if __name__ == "__main__":
    main()

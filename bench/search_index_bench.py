"""Search indexing speed: a full rebuild and incremental indexing of the patents in the
database the environment points at (fill it first with bench/import_bench.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench SEARCH_INDEX_DIR=/tmp/idx \\
        .venv/bin/python bench/search_index_bench.py [--incremental 20000] [--profile]

Prints, for ``search_index_rebuild`` (what ``rebuild_search_index`` runs) and for
``search_index_patents`` over the first ``--incremental`` patents (what the indexing
task after an import runs): patents/s by the wall clock, CPU-seconds used by this
process and its document-building workers (``resource.getrusage``; on a shared
machine the CPU figure is the one that does not depend on the load) and peak RSS.
The rebuild is verified: afterwards the last patent must be found by its number.
``--profile`` prints the 20 functions with most own time of the incremental run.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from patents.models import Patent  # noqa: E402
from patents.search import patent_search  # noqa: E402
from patents.search.backends import backend_name  # noqa: E402
from patents.search.indexing import (  # noqa: E402
    index_workers,
    search_index_patents,
    search_index_rebuild,
)


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def measure(label: str, run) -> int:
    wall, cpu = time.perf_counter(), cpu_seconds()
    count = run()
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    own, child = peak_rss_mb()
    print(
        f"RESULT {label}: {count:,} patents in {wall:,.1f}s = {count / wall:,.0f} patents/s; "
        f"{cpu:,.1f} CPU-s = {1e6 * cpu / max(count, 1):,.0f} us CPU per patent "
        f"({count / max(cpu, 1e-9):,.0f} patents per CPU-second); peak RSS {own:,.0f} MB "
        f"(largest worker {child:,.0f} MB)",
        flush=True,
    )
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incremental", type=int, default=20_000)
    parser.add_argument("--no-rebuild", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    total = Patent.objects.count()
    print(
        f"backend {backend_name()}, {total:,} patents, {index_workers()} document worker(s), "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    if not args.no_rebuild:
        measure("rebuild", lambda: search_index_rebuild(chunk_size=2000))
        last = Patent.objects.order_by("-pk").values_list("publication_number", flat=True)[0]
        found = {h.publication_number for h in patent_search(text=last, highlights=False).hits}
        print(f"last patent {last} searchable after the rebuild: {last in found}")
    ids = list(Patent.objects.order_by("pk").values_list("pk", flat=True)[: args.incremental])
    profile = cProfile.Profile() if args.profile else None
    if profile:
        profile.enable()
    measure("search_index_patents", lambda: search_index_patents(patent_ids=ids))
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)
    print(f"load average afterwards {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

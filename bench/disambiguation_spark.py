"""Throughput of `disambiguate_inventors --engine spark` in PySpark local mode.

Usage: python bench/disambiguation_spark.py [--size 200000] [--master local[*]] [--no-local]

Same derived load as bench/disambiguation_speed.py (real NVIDIA + raw PatentsView
mentions, replicated with shuffled first names). Prints the block components (the unit
Spark distributes), the Spark wall time after the session is up, the single-machine
engine's time on the same records, and whether both give the same clusters.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from disambiguation_speed import base_rows, replica

from talent.disambiguation.engine import resolve
from talent.disambiguation.frequencies import NameFrequencies
from talent.disambiguation.records import build_records
from talent.disambiguation.spark import block_components, resolve_spark, spark_session


def _partition(assignments) -> set[frozenset]:
    groups = defaultdict(set)
    for a in assignments:
        groups[a.label].add(a.mention_id)
    return {frozenset(g) for g in groups.values()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--master", default="local[*]")
    parser.add_argument("--no-local", action="store_true", help="skip the local engine run")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}, cores: {os.cpu_count()}")
    base = base_rows()
    rows, k = [], 0
    while len(rows) < args.size:
        rows.extend(replica(base, k))
        k += 1
    records = build_records(rows[: args.size])
    freq = NameFrequencies.from_names(r.name for r in records)
    component_of = block_components(records)
    comps = Counter(component_of[r.block] for r in records)
    print(
        f"{len(records):,} mentions, {len(comps):,} block components, largest "
        f"{max(comps.values()):,} mentions"
    )
    t0 = time.perf_counter()
    spark = spark_session(args.master)
    t1 = time.perf_counter()
    on_spark = resolve_spark(records, spark=spark, frequencies=freq)
    t2 = time.perf_counter()
    spark.stop()
    print(
        f"spark {args.master}: session {t1 - t0:.1f}s, resolve {t2 - t1:.1f}s "
        f"= {len(records) / (t2 - t1):,.0f} mentions/s"
    )
    if not args.no_local:
        t3, c3 = time.perf_counter(), time.process_time()
        local = resolve(records, frequencies=freq)
        t4, c4 = time.perf_counter(), time.process_time()
        print(
            f"local engine: {t4 - t3:.1f}s wall, {c4 - c3:.1f}s CPU "
            f"= {len(records) / (c4 - c3):,.0f} mentions/s/core"
        )
        print(f"same clusters: {_partition(on_spark) == _partition(local)}")


if __name__ == "__main__":
    main()

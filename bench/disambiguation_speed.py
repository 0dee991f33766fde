"""Speed of the disambiguation engine: a full run and a daily incremental batch.

Usage: python bench/disambiguation_speed.py [--size 1000000] [--increment 10000]

Load data is derived from real mentions, not invented: the 16,402 NVIDIA mentions
(PatentsView: names, assignee, CPC groups, year, co-inventors through the patent)
and the 50,000 raw PatentsView mentions (names with HTML entities, patent ids).
Replica k of the base set keeps every row's surname, patent grouping, assignee, CPC
and year but draws first names from another real row (a deterministic shuffle
seeded by k) and suffixes patent ids with k, so the copies are new people with a
realistic mix of name frequencies instead of 60 exact duplicates.
The increment is another replica the full run has not seen, attached to the stored
clusters of the blocks it touches (what the portal's daily import does).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from disambiguation_quality import load_nvidia

from talent.disambiguation.engine import Resolver, neighbour_blocks_among, resolve
from talent.disambiguation.frequencies import NameFrequencies
from talent.disambiguation.records import build_records

RAW = Path(
    "/work/shared/data/inventor_disambiguation_benchmarks/raw/raw_inventor_sample_pv_disambiguation.tsv"
)
NVIDIA = Path("/work/shared/data/us_patents_patentsview_nvidia")


def base_rows() -> list[dict]:
    rows, _truth = load_nvidia(NVIDIA)
    with open(RAW, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            rows.append(
                {
                    "mention_id": r["mention-id"],
                    "name_first": r["name_first"],
                    "name_last": r["name_last"],
                    "patent_number": r["patent_id"],
                }
            )
    return rows


def replica(base: list[dict], k: int) -> list[dict]:
    if k == 0:
        return [dict(r) for r in base]
    firsts = [r["name_first"] for r in base]
    random.Random(k).shuffle(firsts)
    out = []
    for r, first in zip(base, firsts, strict=True):
        row = dict(r)
        row["mention_id"] = f"{r['mention_id']}~{k}"
        row["patent_number"] = f"{r['patent_number']}~{k}"
        row["name_first"] = first
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--increment", type=int, default=10_000)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}")

    base = base_rows()
    rows, k = [], 0
    while len(rows) < args.size:
        rows.extend(replica(base, k))
        k += 1
    rows = rows[: args.size]
    new_rows = replica(base, k + 1)[: args.increment]

    t0, c0 = time.perf_counter(), time.process_time()
    records = build_records(rows)
    t1 = time.perf_counter()
    assignments = resolve(records)
    t2, c2 = time.perf_counter(), time.process_time()
    people = len({a.label for a in assignments})
    review = sum(1 for a in assignments if 0.35 <= a.confidence < 0.8)
    print(f"full run: {len(records):,} mentions → {people:,} people, {review:,} to review")
    print(
        f"  parse + records {t1 - t0:.1f}s, block/score/cluster {t2 - t1:.1f}s, "
        f"total {t2 - t0:.1f}s wall, {c2 - c0:.1f}s CPU (the box is shared: CPU time is "
        "what this run itself used)"
    )

    # Incremental: only the blocks the new mentions touch are loaded back.
    labels = {a.mention_id: a.label for a in assignments}
    by_block = defaultdict(list)
    for r in records:
        by_block[r.block].append(r)
    t3, c3 = time.perf_counter(), time.process_time()
    new_records = build_records(new_rows)
    touched = {r.block for r in new_records}
    # Surname-variant blocks too (second blocking key), as talents_resolve() loads them.
    touched |= neighbour_blocks_among(new_records, by_block.keys())
    # Name frequencies over every stored mention plus the new ones, as talents_resolve()
    # counts them (corpus_frequencies); timed with the increment.
    freq = NameFrequencies.from_names(r.name for r in (*records, *new_records))
    resolver = Resolver(label_prefix="n", frequencies=freq)
    seeded = 0
    for block in touched:
        for r in by_block.get(block, ()):
            resolver.seed(r, labels[r.id])
            seeded += 1
    results = [resolver.attach(r) for r in new_records]
    t4, c4 = time.perf_counter(), time.process_time()
    attached = sum(1 for a in results if not a.new)
    print(
        f"increment: {len(new_records):,} new mentions, {len(touched):,} blocks, "
        f"{seeded:,} stored mentions reloaded; {attached:,} attached to existing people, "
        f"{len(results) - attached:,} new people; {t4 - t3:.2f}s wall, {c4 - c3:.2f}s CPU"
    )


if __name__ == "__main__":
    main()

"""Regenerate data/talent/first_name_frequencies.csv from the raw PatentsView sample.

Usage: python bench/disambiguation_name_frequencies.py [--raw PATH]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from talent.disambiguation.names import parse_name  # noqa: E402

RAW = Path(
    "/work/shared/data/inventor_disambiguation_benchmarks/raw/raw_inventor_sample_pv_disambiguation.tsv"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=RAW)
    args = parser.parse_args()
    firsts, total = Counter(), 0
    with open(args.raw, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            total += 1
            first = parse_name(row["name_first"], row["name_last"]).first
            if len(first) > 1:
                firsts[first] += 1
    out = ROOT / "data" / "talent" / "first_name_frequencies.csv"
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["first_name", "mentions"])
        writer.writerow(["__total__", total])
        for name, count in firsts.most_common():
            if count >= 2:
                writer.writerow([name, count])
    print(f"{total} mentions, {len(firsts)} first names → {out}")


if __name__ == "__main__":
    main()

"""Regenerate the engine's reference name tables in data/talent/.

Usage: python bench/disambiguation_name_frequencies.py [--raw PATH] [--nvidia DIR]

- first_name_frequencies.csv: first given names of the 50,000 raw PatentsView mentions
  (used by the engine's fixed priors when no corpus frequencies are given);
- name_marginals.csv: distinct (surname, given name) pairs per script as marginal
  counts (kind, script, value, distinct partners) plus the pairs counted per script:
  surnames from the PatentsView NVIDIA extract (the raw sample's surnames all start
  with "A"), given names from the raw sample and the extract together.
  ``talent.disambiguation.frequencies`` uses it as a minimum population: a
  name common there (Wei Zhang) stays common in a small corpus.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from talent.disambiguation.frequencies import NameFrequencies, ReferenceNames  # noqa: E402
from talent.disambiguation.names import parse_name  # noqa: E402

RAW = Path(
    "/work/shared/data/inventor_disambiguation_benchmarks/raw/raw_inventor_sample_pv_disambiguation.tsv"
)
NVIDIA = Path("/work/shared/data/us_patents_patentsview_nvidia")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=RAW)
    parser.add_argument("--nvidia", type=Path, default=NVIDIA)
    args = parser.parse_args()
    firsts, total = Counter(), 0
    freq, nvidia = NameFrequencies(), NameFrequencies()
    with open(args.raw, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            total += 1
            name = parse_name(row["name_first"], row["name_last"])
            freq.add(name)
            if len(name.first) > 1:
                firsts[name.first] += 1
    with open(args.nvidia / "nvidia_inventor.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = parse_name(
                row["disambig_inventor_name_first"], row["disambig_inventor_name_last"]
            )
            freq.add(name)
            nvidia.add(name)
    out = ROOT / "data" / "talent" / "first_name_frequencies.csv"
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["first_name", "mentions"])
        writer.writerow(["__total__", total])
        for name, count in firsts.most_common():
            if count >= 2:
                writer.writerow([name, count])
    print(f"{total} mentions, {len(firsts)} first names → {out}")
    out = ROOT / "data" / "talent" / "name_marginals.csv"
    ReferenceNames.build(surnames_from=nvidia, givens_from=freq).write(out)
    print(
        f"surnames: {dict(nvidia.people)} distinct pairs (NVIDIA); given names: "
        f"{dict(freq.people)} (raw sample + NVIDIA) → {out}"
    )


if __name__ == "__main__":
    main()

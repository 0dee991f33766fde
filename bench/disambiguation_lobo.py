"""Leave-one-benchmark-out choice of the surname-variant penalty (engine.CROSS_BLOCK_PENALTY).

Usage: python bench/disambiguation_lobo.py [--data DIR]

For every named benchmark H: pick the penalty that maximises the mean pairwise F1 of
the *other* named benchmarks (ties go to the larger, more cautious penalty), then
report H's F1 and precision at that penalty next to H with the second blocking key
switched off. The product runs on benchmarks nobody has: a penalty that only one
benchmark likes would show here as a held-out loss.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from disambiguation_metrics import evaluate
from disambiguation_quality import DEFAULT_DATA, NAMED, load_benchmarks, run_benchmark

from talent.disambiguation import engine

GRID = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0)
OFF = float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    by = load_benchmarks(args.data)
    all_rows = [r for rows in by.values() for r in rows]
    scores: dict[float, dict[str, dict]] = {}
    for penalty in (*GRID, OFF):
        engine.CROSS_BLOCK_PENALTY = penalty
        scores[penalty] = {}
        for name in NAMED:
            rows = by[name]
            truth = {r["mention_id"]: r["cluster_id"] for r in rows}
            scores[penalty][name] = evaluate(truth, run_benchmark(rows, all_rows))
        line = " ".join(
            f"{n}={scores[penalty][n]['pairwise_f1']:.3f}/P{scores[penalty][n]['pairwise_precision']:.3f}"
            for n in NAMED
        )
        print(f"penalty {penalty:>4}: {line}")
    print("leave one benchmark out (F1 / P at the penalty the other three choose; off = no key):")
    for held in NAMED:
        others = [n for n in NAMED if n != held]
        chosen = max(
            GRID,
            key=lambda p: (sum(scores[p][n]["pairwise_f1"] for n in others) / len(others), p),
        )
        got, off = scores[chosen][held], scores[OFF][held]
        print(
            f"  {held}: chosen on {','.join(others)} = {chosen:g} bits → "
            f"F1 {got['pairwise_f1']:.3f} P {got['pairwise_precision']:.3f} "
            f"(off: F1 {off['pairwise_f1']:.3f} P {off['pairwise_precision']:.3f})"
        )


if __name__ == "__main__":
    main()

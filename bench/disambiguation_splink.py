"""Splink (DuckDB backend) on the hand-labelled inventor benchmarks, for comparison.

Usage: python bench/disambiguation_splink.py [--data DIR] [--benchmarks lai2011 ens ...]
       [--threshold 0.9]

Needs ``pip install splink`` (not a project dependency; see docs/benchmarks.md, Talent).
The same inputs as the talent engine get (names, co-inventors from the same patent in
the benchmark file, grant year from the patent number), the same metrics. The model is
trained without labels, as Splink recommends: u by random sampling, m by EM on two
blocking rules, term-frequency adjustments on first name and surname (Splink's answer
to common names). The match threshold is fixed in advance, not tuned on the labels.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from disambiguation_metrics import evaluate
from disambiguation_quality import DEFAULT_DATA, NAMED, fmt, load_benchmarks

from talent.disambiguation.records import build_records


def _frame(rows, context_rows):
    import pandas as pd

    ids = {r["mention_id"] for r in rows}
    out = []
    for rec in build_records(context_rows):
        if rec.id not in ids:
            continue
        given = rec.name.given
        first = given[0] if given else None
        out.append(
            {
                "unique_id": rec.id,
                "first_name": first if first and len(first) > 1 else None,
                "first_initial": first[:1] if first else None,
                "middle_initial": given[1][:1] if len(given) > 1 else None,
                "surname": rec.name.last or None,
                "year": rec.year,
                "co_inventors": sorted(rec.co_inventors),
            }
        )
    return pd.DataFrame(out)


def run_splink(df, *, threshold: float) -> dict[str, str]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    year = cl.CustomComparison(
        output_column_name="year",
        comparison_levels=[
            cll.NullLevel("year"),
            cll.CustomLevel("abs(year_l - year_r) <= 2", "within 2 years"),
            cll.CustomLevel("abs(year_l - year_r) <= 7", "within 7 years"),
            cll.CustomLevel("abs(year_l - year_r) <= 12", "within 12 years"),
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[block_on("surname", "first_initial")],
        comparisons=[
            cl.JaroWinklerAtThresholds("first_name", [0.92, 0.8]).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("middle_initial"),
            cl.ExactMatch("surname").configure(term_frequency_adjustments=True),
            cl.ArrayIntersectAtSizes("co_inventors", [2, 1]),
            year,
        ],
        retain_intermediate_calculation_columns=False,
    )
    db = DuckDBAPI()
    sdf = db.register(df)
    linker = Linker(sdf, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("surname", "first_name", "middle_initial")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname", "first_name"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname", "year"), record_sample_proportion=1.0
    )
    predictions = linker.inference.predict(threshold_match_probability=0.05)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    out = clusters.as_pandas_dataframe()
    return {str(u): str(c) for u, c in zip(out["unique_id"], out["cluster_id"], strict=True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--benchmarks", nargs="*", default=list(NAMED))
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    by = load_benchmarks(args.data)
    all_rows = [r for rows in by.values() for r in rows]
    for name in args.benchmarks:
        rows = by[name]
        truth = {r["mention_id"]: r["cluster_id"] for r in rows}
        started = time.perf_counter()
        pred = run_splink(_frame(rows, all_rows), threshold=args.threshold)
        elapsed = time.perf_counter() - started
        print(f"{name} ({len(rows)} mentions, {len(set(truth.values()))} people)")
        print(f"  splink (duckdb):     {fmt(evaluate(truth, pred))}  [{elapsed:.2f}s]")


if __name__ == "__main__":
    main()

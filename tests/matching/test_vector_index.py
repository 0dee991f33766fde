"""The projected vector index returns exact scores and nearly the brute-force neighbours."""

from __future__ import annotations

import numpy as np

from matching.embeddings import ProjectedIndex, top_k


def _unit_rows(rng, count: int, dims: int = 384, mixing=None) -> np.ndarray:
    # Numerical fixture for an index (not business data). Sentence embeddings
    # concentrate their variance in a few dozen directions (on the real e5 title
    # vectors 64 of 384 dimensions keep recall@100 at 0.997, docs/benchmarks.md):
    # topics in a 40-dimensional subspace plus a little isotropic noise.
    latent = rng.normal(size=(20, 40))[rng.integers(0, 20, count)] + rng.normal(size=(count, 40))
    rows = latent @ mixing + 0.3 * rng.normal(size=(count, dims))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_projected_search_matches_brute_force():
    rng = np.random.default_rng(3)
    mixing = rng.normal(size=(40, 384))
    matrix = _unit_rows(rng, 20_000, mixing=mixing)
    ids = np.arange(100, 100 + len(matrix), dtype=np.int64)
    index = ProjectedIndex.build(ids, matrix, sample=5_000)
    queries = _unit_rows(rng, 20, mixing=mixing)
    recalls = []
    for query, hits in zip(queries, index.search_many(queries, limit=50), strict=True):
        exact = dict(top_k(ids, matrix, query, limit=50))
        scores = [s for _i, s in hits]
        assert scores == sorted(scores, reverse=True) and len(hits) == 50
        for pk, score in hits:  # scores are the full vectors' dot products
            assert abs(score - float(matrix[pk - 100] @ query)) < 1e-4
        recalls.append(len(set(exact) & {pk for pk, _s in hits}) / 50)
    assert np.mean(recalls) >= 0.95
    assert index.search(queries[0], limit=5) == index.search_many(queries[:1], limit=5)[0]

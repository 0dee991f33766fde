"""The projected vector index returns exact scores and nearly the brute-force neighbours."""

from __future__ import annotations

import numpy as np

from matching.embeddings import ProjectedIndex, top_k


def _unit_rows(rng, count: int, dims: int = 384) -> np.ndarray:
    # Numerical fixture for an index (not business data): clustered unit vectors,
    # the shape e5 vectors have (a few topics, many near neighbours).
    centres = rng.normal(size=(50, dims))
    rows = centres[rng.integers(0, 50, count)] + 0.6 * rng.normal(size=(count, dims))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_projected_search_matches_brute_force():
    rng = np.random.default_rng(3)
    matrix = _unit_rows(rng, 20_000)
    ids = np.arange(100, 100 + len(matrix), dtype=np.int64)
    index = ProjectedIndex.build(ids, matrix, sample=5_000)
    queries = _unit_rows(rng, 20)
    recalls = []
    for query, hits in zip(queries, index.search_many(queries, limit=50), strict=True):
        exact = dict(top_k(ids, matrix, query, limit=50))
        scores = [s for _i, s in hits]
        assert scores == sorted(scores, reverse=True) and len(hits) == 50
        for pk, score in hits:  # scores are the full vectors' dot products
            assert abs(score - float(matrix[pk - 100] @ query)) < 1e-4
        recalls.append(len(set(exact) & {pk for pk, _s in hits}) / 50)
    assert np.mean(recalls) >= 0.9
    assert index.search(queries[0], limit=5) == index.search_many(queries[:1], limit=5)[0]

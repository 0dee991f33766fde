"""Need → achievement ranking on real graded pairs (bench (b); evaluation only).

Data: ``../shared/data/tech_needs_ccf_bdci2019`` (CCF BDCI 2019): 371 real enterprise
technology needs (title + content) and 7,377 need↔achievement pairs graded 1–4 by
the organisers. The achievement texts are missing upstream; what is left is a
jieba keyword string of each achievement title (see the dataset README). 7,324
pairs have one; the rest are skipped.

Task: for each need with at least two graded candidates of different grades, rank
its candidates; nDCG@10 and nDCG (full list) against the grades (gain = grade − 1,
so grade 1 "unrelated" earns nothing). Every need counts once; no fitting is
done on these labels, so there is nothing to split (the systems have no
parameter fitted here).

Systems:
* ``bm25`` — Okapi BM25 (k1 1.5, b 0.75) of the whole need text against the
  candidate's words, segmented by the portal's segmenter, IDF over all candidates;
* ``matcher-lexical`` — the portal's keyword stage: ``keywords_extract`` of the need
  (stop-words and boilerplate dropped, phrases above words), a candidate scoring the
  weights of the keywords its text contains;
* ``bm25-content`` — BM25 of the need's words without the stop-words (``is_stopword``);
* ``bm25-content+class`` — that, normalised per need, plus the class signal below;
* ``matcher`` — ``matcher-lexical`` plus the class signal as the matcher weighs it
  (``scoring.DEFAULT_WEIGHTS``: lexical 0.30, ipc 0.30): the agreement of the
  need's predicted IPC subclasses with the candidate's predicted ones
  (``ipc_predict``, the shipped model; it never saw these texts).

    nice -n 5 python bench/need_pairs_eval.py
"""

from __future__ import annotations

import csv
import math
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# No e5 here: the IPC model's kNN vote would embed every text (minutes on this CPU).
os.environ.setdefault("MATCHING_EMBEDDINGS", "false")

import django  # noqa: E402

django.setup()

from matching.matcher import scoring  # noqa: E402
from patents.search.analysis import segmenter  # noqa: E402
from patents.tagging import ipc_predict, is_stopword, keywords_extract  # noqa: E402
from patents.tagging.training import shared_data_dir  # noqa: E402

DATA = shared_data_dir() / "tech_needs_ccf_bdci2019"


def ndcg(gains: list[float], k: int | None = None) -> float:
    ideal = sorted(gains, reverse=True)
    k = k or len(gains)

    def dcg(values: list[float]) -> float:
        return sum(g / math.log2(i + 2) for i, g in enumerate(values[:k]))

    best = dcg(ideal)
    return dcg(gains) / best if best else 0.0


def words(text: str) -> list[str]:
    return [t for t in (w.strip().lower() for w in segmenter().cut(text)) if t and t.isalnum()]


def main() -> None:
    if not DATA.exists():
        sys.exit(f"missing {DATA}")
    with (DATA / "requirements.csv").open(encoding="utf-8") as handle:
        needs = {
            r["requirement_id"]: f"{r['title']}\n{r['content']}" for r in csv.DictReader(handle)
        }
    pairs: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with (DATA / "train_pairs_labeled.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = row["achievement_title_keywords_reconstructed"].strip()
            if text and row["requirement_id"] in needs:
                pairs[row["requirement_id"]].append((text, int(row["relevance_level"])))
    queries = [
        q for q, cands in pairs.items() if len({g for _t, g in cands}) > 1 and needs[q].strip()
    ]
    started = time.perf_counter()
    candidates = sorted({t for q in queries for t, _g in pairs[q]})
    tokens = {t: t.lower().split() for t in candidates}
    df = Counter(w for t in candidates for w in set(tokens[t]))
    n_docs = len(candidates)
    avg_len = sum(len(v) for v in tokens.values()) / n_docs

    def bm25(query: list[str], doc: list[str]) -> float:
        counts = Counter(doc)
        score = 0.0
        for term in set(query):
            if term not in counts:
                continue
            idf = math.log(1 + (n_docs - df[term] + 0.5) / (df[term] + 0.5))
            tf = counts[term]
            score += idf * tf * 2.5 / (tf + 1.5 * (0.25 + 0.75 * len(doc) / avg_len))
        return score

    need_texts = [needs[q] for q in queries]
    need_classes = ipc_predict(texts=need_texts, top=5)
    cand_classes = dict(
        zip(
            candidates,
            ipc_predict(texts=[t.replace(" ", "") for t in candidates], top=3),
            strict=True,
        )
    )

    def ipc_values(cands, predicted):
        return [
            scoring.ipc_agreement([c for c, _s in cand_classes[t][:1]], predicted)
            for t, _g in cands
        ]

    results: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for q, need_text, predicted in zip(queries, need_texts, need_classes, strict=True):
        cands = pairs[q]
        gains = [g - 1 for _t, g in cands]
        query_words = words(need_text)
        keywords = keywords_extract(text=need_text, top=12)
        scores_bm25 = [bm25(query_words, tokens[t]) for t, _g in cands]
        content = [w for w in query_words if not is_stopword(w)]
        scores_content = [bm25(content, tokens[t]) for t, _g in cands]
        top_content = max(scores_content) or 1.0
        bm25_class = [
            scoring.DEFAULT_WEIGHTS["lexical"] * sc / top_content
            + scoring.DEFAULT_WEIGHTS["ipc"] * ip
            for sc, ip in zip(scores_content, ipc_values(cands, predicted), strict=True)
        ]
        lexical = []
        for t, _g in cands:
            compact = t.replace(" ", "").lower()
            lexical.append(sum(w for k, w in keywords if k.lower() in compact))
        top_lex = max(lexical) or 1.0
        ipc = [
            scoring.ipc_agreement([c for c, _s in cand_classes[t][:1]], predicted)
            for t, _g in cands
        ]
        combined = [
            scoring.DEFAULT_WEIGHTS["lexical"] * lx / top_lex + scoring.DEFAULT_WEIGHTS["ipc"] * ip
            for lx, ip in zip(lexical, ipc, strict=True)
        ]
        for name, values in (
            ("bm25", scores_bm25),
            ("bm25-content", scores_content),
            ("bm25-content+class", bm25_class),
            ("matcher-lexical", lexical),
            ("matcher", combined),
        ):
            # Ties broken by candidate order reversed-by-grade would flatter; break them by
            # the candidate text instead (independent of the grade).
            order = sorted(range(len(cands)), key=lambda i: (-values[i], cands[i][0]))
            ranked = [gains[i] for i in order]
            results[name].append((ndcg(ranked, 10), ndcg(ranked)))
    print(f"{len(queries)} needs, {sum(len(pairs[q]) for q in queries)} graded candidates")
    base = sum(a for a, _b in results["bm25"]) / len(queries)
    for name, values in results.items():
        at10 = sum(a for a, _b in values) / len(values)
        full = sum(b for _a, b in values) / len(values)
        print(f"{name:16s} nDCG@10 {at10:.3f}  nDCG {full:.3f}  ({at10 / base:.2f}× BM25 @10)")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

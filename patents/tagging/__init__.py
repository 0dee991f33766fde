"""Deep tagging (标引): predicted IPC subclasses and keywords for any text.

Contract: ``ipc_predict(*, texts, top=5) -> list[list[tuple[str, float]]]`` —
per text, IPC subclasses with scores, best first; the model is described
in ``model.py``.
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


def group_predict(*, texts: list[str], top: int = 5) -> list[list[tuple[str, float]]]:
    """Per text, likely main groups (``G06T15``) with probabilities, best first.

    Empty for a text the group head cannot read (Chinese: no group-level
    training data) or when the loaded model has no group head.
    """
    from .model import load_model

    texts = [(t or "").strip() for t in texts]
    model = load_model()
    if model is None or getattr(model, "group_model", None) is None:
        return [[] for _t in texts]
    return model.group_model.predict(texts, top=top)


__all__ = ["group_predict", "ipc_predict", "keywords_extract", "tokenize"]

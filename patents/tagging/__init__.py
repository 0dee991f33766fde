"""Deep tagging (标引): predicted IPC subclasses and keywords for any text.

Contract: ``ipc_predict(*, texts, top=5) -> list[list[tuple[str, float]]]`` —
per text, IPC subclasses with scores, best first; the model is described
in ``model.py``.
"""

from __future__ import annotations

from .keywords import keywords_extract, tokenize
from .stopwords import is_stopword


def ipc_predict(
    *, texts: list[str], top: int = 5, priors: list[dict[str, float] | None] | None = None
) -> list[list[tuple[str, float]]]:
    """``priors`` (optional, one per text): subclass → count of the author's earlier
    patents (``patents.selectors.organization_subclass_counts``), mixed into the text's
    probabilities; measured in ``bench/ipc_abstract_eval.py`` (``+applicant``)."""
    from .model import load_model
    from .vectors import embed_for_model

    texts = [(t or "").strip() for t in texts]
    if not texts:
        return []
    model = load_model()
    vectors = embed_for_model(model, texts)
    return model.predict(texts, top=top, vectors=vectors, priors=priors)


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


__all__ = ["group_predict", "ipc_predict", "is_stopword", "keywords_extract", "tokenize"]

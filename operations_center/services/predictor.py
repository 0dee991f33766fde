"""The IPC predictor of the matching work, behind a call that never fails.

``patents.tagging.ipc_predict`` is built on another branch; until it is merged
(or when it cannot load its model) tagging simply skips prediction.
"""

from __future__ import annotations

import importlib
import logging

logger = logging.getLogger(__name__)


def predict_ipc(*, texts: list[str], top: int = 3) -> list[list[tuple[str, float]]]:
    try:
        module = importlib.import_module("patents.tagging")
    except ImportError:
        return [[] for _ in texts]
    predict = getattr(module, "ipc_predict", None)
    if predict is None:
        return [[] for _ in texts]
    try:
        return predict(texts=texts, top=top)
    except Exception:  # a broken model must not stop rule tagging
        logger.exception("ipc_predict failed; tagging continues without predictions")
        return [[] for _ in texts]

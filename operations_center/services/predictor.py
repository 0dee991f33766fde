"""``patents.tagging.ipc_predict`` behind a call that never fails.

Chain tagging works from rules first; when the predictor cannot load its model
(or fails on a text) tagging goes on without predictions rather than stop.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def predict_ipc(*, texts: list[str], top: int = 3) -> list[list[tuple[str, float]]]:
    # Imported on first use: the predictor's modules are heavy for a web process.
    from patents.tagging import ipc_predict

    try:
        return ipc_predict(texts=texts, top=top)
    except Exception:  # a broken model must not stop rule tagging
        logger.exception("ipc_predict failed; tagging continues without predictions")
        return [[] for _ in texts]

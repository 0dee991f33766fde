"""Logging helpers: every record carries the request id and user id of its request."""

from __future__ import annotations

import logging
import re

from .requestmeta import current_request_id, current_user_id


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        record.user_id = current_user_id.get()
        return True


# A list of five or more integers in a repr, e.g. the patent ids of an indexing task.
_ID_LIST = re.compile(r"\[\s*\d+(?:\s*,\s*\d+){4,}\s*\]")
ARGS_REPR_LIMIT = 200


def summarise_args(text: str) -> str:
    """``[[1, 2, …, 2000]]`` → ``[[2000 ids]]``; anything else longer than
    ``ARGS_REPR_LIMIT`` characters is cut with its length noted."""
    text = _ID_LIST.sub(lambda m: f"[{m.group().count(',') + 1} ids]", text)
    if len(text) > ARGS_REPR_LIMIT:
        text = f"{text[:ARGS_REPR_LIMIT]}… ({len(text)} characters)"
    return text


class TaskArgsFilter(logging.Filter):
    """Celery logs each task's arguments with its outcome (``data.args`` in JSON
    logs): an indexing task's 2,000 patent ids made 36 kB lines. Log counts instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        data = getattr(record, "data", None)
        if isinstance(data, dict) and ("args" in data or "kwargs" in data):
            data = dict(data)
            for key in ("args", "kwargs"):
                if isinstance(data.get(key), str):
                    data[key] = summarise_args(data[key])
            record.data = data
            if isinstance(record.args, dict):
                record.args = data
        return True

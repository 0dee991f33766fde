"""Logging helpers: every record carries the request id and user id of its request."""

from __future__ import annotations

import logging

from .requestmeta import current_request_id, current_user_id


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        record.user_id = current_user_id.get()
        return True

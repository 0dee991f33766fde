"""``search_status``: which backend serves searches, and can it answer (for /health/)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from .backends import backend_name, get_backend


def search_status(*, timeout: float = 1.0) -> str:
    """A short description of the backend in use; raises if it cannot serve."""
    name = backend_name()
    if name == "elasticsearch":
        from elasticsearch import Elasticsearch

        client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=timeout)
        if not client.ping():
            raise RuntimeError("elasticsearch did not answer")
        return "elasticsearch"
    if name == "tantivy":
        # Opens (or reloads) the index: an unreadable directory fails the check.
        documents = get_backend().searcher().num_docs
        return f"tantivy ({documents} documents)"
    return f"database ({connection.vendor})"

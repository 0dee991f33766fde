"""Search backends behind ``patent_search``; ``get_backend()`` picks one from settings."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db import connection

from .base import SearchBackend


def get_backend() -> SearchBackend:
    name = getattr(settings, "SEARCH_BACKEND", "database")
    return _backend(name, connection.vendor)


@cache
def _backend(name: str, vendor: str) -> SearchBackend:
    if name == "elasticsearch":
        from .elastic import ElasticsearchBackend

        return ElasticsearchBackend()
    if name == "tantivy":
        from .tantivy_index import TantivyBackend

        return TantivyBackend()
    if vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if vendor == "sqlite":
        from .sqlite import SqliteBackend

        return SqliteBackend()
    raise RuntimeError(f"No database search backend for {vendor}")

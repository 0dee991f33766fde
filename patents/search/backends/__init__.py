"""Search backends behind ``patent_search``; ``get_backend()`` picks one from settings.

``SEARCH_BACKEND`` set → that backend, always. Unset → the default for the
database in use (``DEFAULT_BACKENDS``), chosen with numbers (docs/benchmarks.md
``## Search``): on SQLite (the embedded first run) ``database`` = FTS5, nothing
to install; on PostgreSQL ``tantivy``, because the PostgreSQL ``database``
backend ranks every match (RUM: p95 2.7 s for common terms at 1M patents) while
tantivy's top-k meets the 50 ms target.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .base import SearchBackend

BACKENDS = ("database", "tantivy", "elasticsearch")
DEFAULT_BACKENDS = {"sqlite": "database", "postgresql": "tantivy"}


def backend_name(vendor: str | None = None) -> str:
    """The backend in use: ``SEARCH_BACKEND`` if set, else the default for the database."""
    name = (getattr(settings, "SEARCH_BACKEND", "") or "").strip().lower()
    if name:
        if name not in BACKENDS:
            raise ImproperlyConfigured(
                f"SEARCH_BACKEND={name!r}: use one of {', '.join(BACKENDS)} or leave it unset."
            )
        return name
    return DEFAULT_BACKENDS.get(vendor or connection.vendor, "database")


def get_backend() -> SearchBackend:
    vendor = connection.vendor
    return _backend(backend_name(vendor), vendor, str(getattr(settings, "SEARCH_INDEX_DIR", "")))


@cache
def _backend(name: str, vendor: str, index_dir: str = "") -> SearchBackend:
    if name == "elasticsearch":
        from .elastic import ElasticsearchBackend

        return ElasticsearchBackend()
    if name == "tantivy":
        from .tantivy_index import TantivyBackend

        return TantivyBackend(index_dir or None)
    if vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if vendor == "sqlite":
        from .sqlite import SqliteBackend

        return SqliteBackend()
    raise RuntimeError(f"No database search backend for {vendor}")

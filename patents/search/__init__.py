"""The one patent search service every app calls.

Contract (stable; backends change behind it):

    patent_search(*, text, filters=None, sort="relevance", limit=20, offset=0,
                  facets=False) -> SearchResults

``filters`` keys: ``ipc``, ``cpc`` (any level; a subclass includes its groups),
``country``, ``patent_type``, ``legal_status``, ``applicant_kind``, ``region``
(GB/T 2260 code; a province includes its cities), ``date_from`` / ``date_to``
(publication date). A value may be a list (any of them). ``sort``: ``relevance``,
``date`` (newest first) or ``date_asc``. Bad input raises ``SearchQueryError``
whose message is for the user.

The backend is chosen by ``settings.SEARCH_BACKEND``: ``database`` (PostgreSQL
tsvector + RUM index, or SQLite FTS5) or ``elasticsearch``. Keeping the index in
step: ``index_patents_after_commit(patent_ids)`` after writes, and the
``patents.search_sweep`` beat task for anything missed.
"""

from __future__ import annotations

from .indexing import index_patents_after_commit, search_index_patents, search_index_sweep
from .service import patent_search
from .types import SearchHit, SearchQueryError, SearchResults

__all__ = [
    "SearchHit",
    "SearchQueryError",
    "SearchResults",
    "index_patents_after_commit",
    "patent_search",
    "search_index_patents",
    "search_index_sweep",
]

"""The one patent search service every app calls.

Contract (stable; backends change behind it):

    patent_search(*, text, filters=None, sort="relevance", limit=20, offset=0,
                  facets=False) -> SearchResults

``filters`` keys: ``ipc``, ``cpc`` (any level, prefix match), ``country``,
``patent_type``, ``legal_status``, ``applicant_kind``, ``region`` (code),
``date_from`` / ``date_to`` (publication date). Bad input raises
``SearchQueryError`` with a message for the user.

The backend is chosen by ``settings.SEARCH_BACKEND``. This first version is a
plain ORM scan so that callers can be written and tested now; the ranked
full-text backends replace it behind the same signature.
"""

from __future__ import annotations

from .query import SearchHit, SearchQueryError, SearchResults, patent_search

__all__ = ["SearchHit", "SearchQueryError", "SearchResults", "patent_search"]

"""Types of the search contract (stable; backends change behind them)."""

from __future__ import annotations

from dataclasses import dataclass, field


class SearchQueryError(ValueError):
    """The query cannot be run; ``str(error)`` is a message for the user."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    patent_id: int
    publication_number: str
    score: float
    # Field name → HTML snippet with matches in ``<mark>``; text is escaped.
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SearchResults:
    hits: list[SearchHit]
    total: int
    # True when ``total`` stopped at a cap rather than counting every match.
    total_is_capped: bool = False
    # Filter key → [(value, count)], most frequent first. When ``total_is_capped``
    # the counts cover the first ``FACET_CAP`` matches only (say so to the user).
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


# Counting stops here: an exact count of 500k matches costs a full scan and tells
# a user no more than "over 10,000".
TOTAL_CAP = 10_000
FACET_CAP = 10_000
MAX_QUERY_LENGTH = 500
MAX_CLAUSES = 32
MAX_OFFSET = 10_000
MAX_LIMIT = 200


class SearchIndexBusy(RuntimeError):
    """Another process holds the index's single writer lock (tantivy); retry later."""

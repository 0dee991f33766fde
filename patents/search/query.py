"""Types of the search contract and the interim ORM implementation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from ..models import Patent


class SearchQueryError(ValueError):
    """The query cannot be run; ``str(error)`` is a message for the user."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    patent_id: int
    publication_number: str
    score: float
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SearchResults:
    hits: list[SearchHit]
    total: int
    # True when ``total`` stopped at a cap rather than counting every match.
    total_is_capped: bool = False
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


MAX_QUERY_LENGTH = 500


def patent_search(
    *,
    text: str,
    filters: dict[str, Any] | None = None,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
    facets: bool = False,
) -> SearchResults:
    text = (text or "").strip()
    if not text:
        raise SearchQueryError("请输入检索词。")
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"检索式过长（最多 {MAX_QUERY_LENGTH} 个字符）。")
    condition = Q()
    for term in text.split():
        condition &= Q(title__icontains=term) | Q(abstract__icontains=term)
    queryset = Patent.objects.filter(condition)
    for key, value in (filters or {}).items():
        if key == "ipc":
            queryset = queryset.filter(
                classifications__scheme="ipc", classifications__code__startswith=value
            )
        elif key == "country":
            queryset = queryset.filter(country=value)
        else:
            raise SearchQueryError(f"未知的筛选条件：{key}")
    queryset = queryset.distinct().order_by("-publication_date", "id")
    rows = list(queryset.values_list("id", "publication_number")[offset : offset + limit])
    hits = [SearchHit(patent_id=pk, publication_number=number, score=1.0) for pk, number in rows]
    return SearchResults(hits=hits, total=queryset.count())

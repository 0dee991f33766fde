"""``patent_search``: validate, parse, run on the configured backend, highlight."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ..models import Patent
from .backends import get_backend
from .highlight import highlight
from .indexing import index_patents_after_commit
from .parser import parse_query
from .types import MAX_LIMIT, MAX_OFFSET, SearchHit, SearchQueryError, SearchResults

SORTS = ("relevance", "date", "date_desc", "date_asc")


def patent_search(
    *,
    text: str,
    filters: dict[str, Any] | None = None,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
    facets: bool = False,
    highlights: bool = True,
) -> SearchResults:
    """Ranked hits for ``text``; ``highlights=False`` skips reading the titles and
    abstracts to mark them up (the matcher ranks hits, it does not show them)."""
    if sort not in SORTS:
        raise SearchQueryError(_("Unknown sort order: “%(sort)s”.") % {"sort": sort})
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise SearchQueryError(
            _("Results per page must be between 1 and %(max)d.") % {"max": MAX_LIMIT}
        )
    if not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise SearchQueryError(
            _("Only the first %(max)d results can be paged through; narrow the search.")
            % {"max": MAX_OFFSET}
        )
    query = parse_query(text, filters)
    raw = get_backend().search(
        query,
        sort="date_desc" if sort == "date" else sort,
        limit=limit,
        offset=offset,
        facets=facets,
    )
    rows = Patent.objects.filter(pk__in=[pk for pk, _n, _s in raw.rows])
    texts = (
        {
            pk: (title, abstract)
            for pk, title, abstract in rows.values_list("pk", "title", "abstract")
        }
        if highlights
        else dict.fromkeys(rows.values_list("pk", flat=True), ("", ""))
    )
    stale = [pk for pk, _n, _s in raw.rows if pk not in texts]
    if stale:
        # Deleted without the indexing hook (engines outside the database keep the
        # document): drop them from this page and from the index.
        index_patents_after_commit(stale)
    hits = []
    for pk, number, score in raw.rows:
        if pk in stale:
            continue
        title, abstract = texts[pk]
        marks = {}
        if highlights:
            title_html = highlight(title, query.highlight_tokens)
            if title_html:
                marks["title"] = title_html
            abstract_html = highlight(abstract, query.highlight_tokens, snippet=True)
            if abstract_html:
                marks["abstract"] = abstract_html
        hits.append(
            SearchHit(patent_id=pk, publication_number=number, score=score, highlights=marks)
        )
    return SearchResults(
        hits=hits, total=raw.total, total_is_capped=raw.total_is_capped, facets=raw.facets
    )

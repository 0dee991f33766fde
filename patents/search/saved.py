"""Saved searches: staff keep a query; a nightly task reports patents new to it."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from ..models import SavedSearch
from .service import patent_search
from .types import SearchQueryError

# A nightly re-run looks at the newest hits; more new patents than this in a day
# for one saved search means the query is too broad to be useful as an alert.
RUN_LIMIT = 200
logger = logging.getLogger(__name__)


def saved_search_create(*, owner, name: str, text: str, filters: dict | None = None) -> SavedSearch:
    """Validate by running once; the first run's hits are the baseline, not "new"."""
    results = patent_search(text=text, filters=filters or {}, sort="date", limit=RUN_LIMIT)
    saved, _created = SavedSearch.objects.update_or_create(
        owner=owner,
        name=name,
        defaults={
            "text": text,
            "filters": filters or {},
            "seen_patent_ids": [h.patent_id for h in results.hits],
            "last_run_at": timezone.now(),
            "last_new_count": 0,
            "last_new_patent_ids": [],
        },
    )
    return saved


def saved_search_run(*, saved: SavedSearch) -> list[int]:
    """Re-run one saved search; returns (and records) the ids of new hits."""
    results = patent_search(text=saved.text, filters=saved.filters, sort="date", limit=RUN_LIMIT)
    seen = set(saved.seen_patent_ids)
    new_ids = [h.patent_id for h in results.hits if h.patent_id not in seen]
    saved.seen_patent_ids = list(seen | {h.patent_id for h in results.hits})
    saved.last_new_patent_ids = new_ids
    saved.last_new_count = len(new_ids)
    saved.last_run_at = timezone.now()
    saved.save(
        update_fields=[
            "seen_patent_ids",
            "last_new_patent_ids",
            "last_new_count",
            "last_run_at",
        ]
    )
    return new_ids


def saved_search_run_all() -> int:
    """Nightly: every saved search; one that no longer parses is skipped, not fatal."""
    new_total = 0
    for saved in SavedSearch.objects.order_by("pk").iterator():
        try:
            with transaction.atomic():
                new_total += len(saved_search_run(saved=saved))
        except SearchQueryError as error:
            # The vocabulary or filters changed (e.g. a region code retired); the
            # owner sees the saved search unrun and the reason is logged.
            logger.warning("saved search %s no longer runs: %s", saved.pk, error)
            continue
    return new_total


def saved_search_list(*, owner) -> list[SavedSearch]:
    return list(SavedSearch.objects.filter(owner=owner).order_by("name"))

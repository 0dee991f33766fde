"""What a backend does, and the facet counting the database backends share."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..documents import PatentDocument
from ..parser import ParsedQuery

FACET_KEYS = (
    "ipc",
    "cpc",
    "country",
    "patent_type",
    "legal_status",
    "applicant_kind",
    "region",
)
FACET_TOP = 20


@dataclass(slots=True)
class RawResults:
    # (patent_id, publication_number, score), best first.
    rows: list[tuple[int, str, float]]
    total: int
    total_is_capped: bool
    facets: dict[str, list[tuple[str, int]]]


class SearchBackend(Protocol):
    def search(
        self, query: ParsedQuery, *, sort: str, limit: int, offset: int, facets: bool
    ) -> RawResults: ...

    def index(self, documents: Sequence[PatentDocument]) -> None: ...

    def delete(self, patent_ids: Sequence[int]) -> None: ...


def _region_in_scope(code: str, parent: str | None) -> bool:
    """Provinces at the top; below a filtered region, its direct children."""
    if parent is None:
        return code.endswith("0000")
    if parent.endswith("0000"):
        return code.startswith(parent[:2]) and code.endswith("00") and code != parent
    if parent.endswith("00"):
        return code.startswith(parent[:4]) and code != parent
    return False


def count_facets(rows: Iterable[Sequence[Any]], region_parent: str | None) -> dict:
    """Rows of (country, patent_type, legal_status, ipc_subclasses, cpc_subclasses,
    applicant_kinds, regions); list columns may arrive as JSON text (SQLite)."""
    counters = {key: Counter() for key in FACET_KEYS}
    for country, ptype, status, ipc, cpc, kinds, regions in rows:
        if country:
            counters["country"][country] += 1
        if ptype:
            counters["patent_type"][ptype] += 1
        if status:
            counters["legal_status"][status] += 1
        for key, values in (("ipc", ipc), ("cpc", cpc), ("applicant_kind", kinds)):
            if isinstance(values, str):
                values = json.loads(values)
            counters[key].update(set(values or ()))
        if isinstance(regions, str):
            regions = json.loads(regions)
        counters["region"].update({r for r in regions or () if _region_in_scope(r, region_parent)})
    return {
        key: sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_TOP]
        for key, counter in counters.items()
    }


def facets_from_buckets(buckets: Iterable[Sequence[Any]], region_parent: str | None) -> dict:
    """(facet key, value, count) rows aggregated by the database → the facets dict."""
    counters = {key: Counter() for key in FACET_KEYS}
    for key, value, count in buckets:
        if not value:
            continue
        if key == "region" and not _region_in_scope(value, region_parent):
            continue
        counters[key][value] += count
    return {
        key: sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_TOP]
        for key, counter in counters.items()
    }

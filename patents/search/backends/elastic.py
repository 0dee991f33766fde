"""Elasticsearch, written with ``elasticsearch.dsl`` (the module in the ``elasticsearch``
package; the separate ``elasticsearch-dsl`` package is deprecated).

* Text fields are analysed by Elasticsearch itself with a Chinese analyzer chosen by
  ``ELASTICSEARCH_CHINESE_ANALYZER``: ``smartcn`` (the analysis-smartcn plugin) or
  ``ik`` (the IK plugin: ``ik_max_word`` when indexing, ``ik_smart`` when searching);
  each text field has an ``.en`` sub-field with the ``english`` analyzer (stemming).
* Numbers, filter tags and facet values are keywords built by the same document code
  as the other backends, so filters and number normalisation behave identically.
* Readers and writers use the alias ``ELASTICSEARCH_INDEX``; a rebuild fills a new
  concrete index and swaps the alias atomically (``python manage.py
  rebuild_search_index``), so searches never see a half-built index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache

from django.conf import settings
from elasticsearch import Elasticsearch, helpers
from elasticsearch.dsl import (
    A,
    Date,
    Document,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
)

from ..documents import PatentDocument
from ..parser import Clause, ParsedQuery
from ..types import TOTAL_CAP
from .base import FACET_TOP, RawResults, _region_in_scope

ANALYZERS = {
    # name: (index analyzer, search analyzer)
    "smartcn": ("smartcn", "smartcn"),
    "ik": ("ik_max_word", "ik_smart"),
}
FIELD_BOOSTS = {"title": 3.0, "abstract": 1.0, "applicant": 1.5}
FACET_FIELDS = {
    "ipc": "ipc_subclasses",
    "cpc": "cpc_subclasses",
    "country": "country",
    "patent_type": "patent_type",
    "legal_status": "legal_status",
    "applicant_kind": "applicant_kinds",
    "region": "regions",
}


def alias_name() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX", "patents")


def analyzer_pair() -> tuple[str, str]:
    name = getattr(settings, "ELASTICSEARCH_CHINESE_ANALYZER", "smartcn")
    if name not in ANALYZERS:
        raise ValueError(f"ELASTICSEARCH_CHINESE_ANALYZER must be one of {sorted(ANALYZERS)}")
    return ANALYZERS[name]


def _text_field() -> Text:
    index_analyzer, search_analyzer = analyzer_pair()
    return Text(
        analyzer=index_analyzer,
        search_analyzer=search_analyzer,
        fields={"en": Text(analyzer="english")},
    )


def document_class() -> type[Document]:
    """The mapping, built from settings (the analyzer is configurable)."""

    class PatentDoc(Document):
        patent_id = Integer()
        publication_number = Keyword()
        title = _text_field()
        abstract = _text_field()
        applicant = _text_field()
        inventor = Keyword()
        number = Keyword()
        tag = Keyword()
        ipc_subclasses = Keyword()
        cpc_subclasses = Keyword()
        country = Keyword()
        patent_type = Keyword()
        legal_status = Keyword()
        applicant_kinds = Keyword()
        regions = Keyword()
        publication_date = Date()

        class Index:
            name = alias_name()
            settings = {"number_of_shards": 1, "number_of_replicas": 0}

    return PatentDoc


@cache
def client() -> Elasticsearch:
    return Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=30)


def to_source(d: PatentDocument, texts: dict[str, str]) -> dict:
    return {
        "patent_id": d.patent_id,
        "publication_number": d.publication_number,
        "title": texts.get("title", ""),
        "abstract": texts.get("abstract", ""),
        "applicant": texts.get("applicant", ""),
        "inventor": d.inventor,
        "number": d.number,
        "tag": d.tags,
        "ipc_subclasses": d.ipc_subclasses,
        "cpc_subclasses": d.cpc_subclasses,
        "country": d.country,
        "patent_type": d.patent_type,
        "legal_status": d.legal_status,
        "applicant_kinds": d.applicant_kinds,
        "regions": d.regions,
        "publication_date": d.publication_date.isoformat() if d.publication_date else None,
    }


def _clause_query(clause: Clause) -> Q:
    if clause.field in ("number", "inventor"):
        tokens = clause.alternatives[0]
        return Q("bool", filter=[Q("term", **{clause.field: t}) for t in tokens])
    fields = FIELD_BOOSTS if clause.field is None else {clause.field: FIELD_BOOSTS[clause.field]}
    names = [
        f"{name}{suffix}^{boost:g}" for name, boost in fields.items() for suffix in ("", ".en")
    ]
    if clause.phrase:
        return Q("multi_match", query=clause.raw, fields=names, type="phrase")
    return Q("multi_match", query=clause.raw, fields=names, type="best_fields", operator="and")


def build_search(query: ParsedQuery, *, sort: str, limit: int, offset: int, facets: bool) -> Search:
    must = [_clause_query(c) for c in query.clauses if not c.negate]
    must_not = [_clause_query(c) for c in query.clauses if c.negate]
    filters = [Q("terms", tag=group) for group in query.tag_groups]
    if query.date_from or query.date_to:
        bounds = {}
        if query.date_from:
            bounds["gte"] = query.date_from.isoformat()
        if query.date_to:
            bounds["lte"] = query.date_to.isoformat()
        filters.append(Q("range", publication_date=bounds))
    search = (
        Search(index=alias_name())
        .query(Q("bool", must=must, must_not=must_not, filter=filters))
        .source(["patent_id", "publication_number"])
        .extra(track_total_hits=TOTAL_CAP, from_=offset, size=limit)
    )
    if sort == "relevance":
        search = search.sort("_score", {"patent_id": "asc"})
    else:
        order = "asc" if sort == "date_asc" else "desc"
        search = search.sort(
            {"publication_date": {"order": order, "missing": "_last"}}, {"patent_id": order}
        )
    if facets:
        for key, field in FACET_FIELDS.items():
            size = 400 if key == "region" else FACET_TOP
            search.aggs.bucket(key, A("terms", field=field, size=size))
    return search


class ElasticsearchBackend:
    def search(
        self, query: ParsedQuery, *, sort: str, limit: int, offset: int, facets: bool
    ) -> RawResults:
        search = build_search(query, sort=sort, limit=limit, offset=offset, facets=facets)
        response = search.using(client()).execute()
        rows = [
            (int(hit.patent_id), hit.publication_number, float(hit.meta.score or 0.0))
            for hit in response
        ]
        total = response.hits.total
        facet_counts = {}
        if facets:
            for key in FACET_FIELDS:
                buckets = [(b.key, b.doc_count) for b in response.aggregations[key].buckets]
                if key == "region":
                    buckets = [
                        (k, n) for k, n in buckets if _region_in_scope(k, query.region_parent)
                    ]
                facet_counts[key] = buckets[:FACET_TOP]
        return RawResults(
            rows=rows,
            total=int(total.value),
            total_is_capped=total.relation == "gte",
            facets=facet_counts,
        )

    def _actions(self, documents: Sequence[PatentDocument], index: str) -> Iterable[dict]:
        from ...models import Patent, PatentApplicant

        # Elasticsearch analyses the original text itself: read it, not our tokens.
        ids = [d.patent_id for d in documents]
        texts = {
            pk: {"title": title, "abstract": abstract, "applicant": ""}
            for pk, title, abstract in Patent.objects.filter(pk__in=ids).values_list(
                "pk", "title", "abstract"
            )
        }
        for pk, name in (
            PatentApplicant.objects.filter(patent_id__in=ids)
            .order_by("patent_id", "sequence")
            .values_list("patent_id", "raw_name")
        ):
            if pk in texts:
                texts[pk]["applicant"] = (texts[pk]["applicant"] + "；" + name).lstrip("；")
        for d in documents:
            source = to_source(d, texts.get(d.patent_id, {}))
            yield {"_op_type": "index", "_index": index, "_id": d.patent_id, "_source": source}

    def index(self, documents: Sequence[PatentDocument], *, index: str | None = None) -> None:
        if documents:
            helpers.bulk(client(), self._actions(documents, index or alias_name()))

    def delete(self, patent_ids: Sequence[int]) -> None:
        actions = ({"_op_type": "delete", "_index": alias_name(), "_id": pk} for pk in patent_ids)
        helpers.bulk(client(), actions, raise_on_error=False)

    # -- zero-downtime rebuild -----------------------------------------------
    def create_index(self, *, now: dt.datetime | None = None) -> str:
        name = f"{alias_name()}-{(now or dt.datetime.now(dt.UTC)):%Y%m%d%H%M%S}"
        document_class()._index.clone(name).create(using=client())
        return name

    def swap_alias(self, new_index: str) -> list[str]:
        """Point the alias at ``new_index`` in one atomic step; returns the old indices."""
        es = client()
        alias = alias_name()
        old = (
            list(es.indices.get_alias(name=alias).keys())
            if es.indices.exists_alias(name=alias)
            else []
        )
        actions = [{"remove": {"index": i, "alias": alias}} for i in old]
        actions.append({"add": {"index": new_index, "alias": alias}})
        es.indices.update_aliases(actions=actions)
        return old

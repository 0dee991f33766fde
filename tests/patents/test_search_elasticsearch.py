"""Elasticsearch backend: mappings and queries checked against the JSON the
Elasticsearch reference documents (no cluster runs here), plus an integration test
that runs only when ELASTICSEARCH_URL points at a cluster with the smartcn plugin."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from patents.search.backends.elastic import (
    ElasticsearchBackend,
    build_search,
    document_class,
    to_source,
)
from patents.search.parser import parse_query

from .search_support import create_corpus, use_backend


def test_mapping_uses_the_configured_chinese_analyzer(settings):
    settings.ELASTICSEARCH_CHINESE_ANALYZER = "smartcn"
    mapping = document_class()._doc_type.mapping.to_dict()
    title = mapping["properties"]["title"]
    # https://www.elastic.co/guide/en/elasticsearch/plugins/current/analysis-smartcn.html
    assert title == {
        "type": "text",
        "analyzer": "smartcn",
        "search_analyzer": "smartcn",
        "fields": {"en": {"type": "text", "analyzer": "english"}},
    }
    assert mapping["properties"]["tag"] == {"type": "keyword"}
    assert mapping["properties"]["publication_date"] == {"type": "date"}
    assert mapping["properties"]["patent_id"] == {"type": "integer"}
    settings.ELASTICSEARCH_CHINESE_ANALYZER = "ik"
    ik = document_class()._doc_type.mapping.to_dict()["properties"]["abstract"]
    assert (ik["analyzer"], ik["search_analyzer"]) == ("ik_max_word", "ik_smart")
    settings.ELASTICSEARCH_CHINESE_ANALYZER = "jieba-please"
    with pytest.raises(ValueError):
        document_class()


@pytest.mark.django_db
def test_query_with_phrase_field_exclusion_filters_and_dates():
    query = parse_query(
        '"自然语言处理" title:系统 -银行 number:CN114081026A',
        {"ipc": ["G06F", "H04L"], "country": "CN", "date_from": "2023-01-01"},
    )
    body = build_search(query, sort="relevance", limit=20, offset=40, facets=False).to_dict()
    fields_all = [
        "title^3",
        "title.en^3",
        "abstract^1",
        "abstract.en^1",
        "applicant^1.5",
        "applicant.en^1.5",
    ]
    assert body["query"] == {
        "bool": {
            "must": [
                {"multi_match": {"query": "自然语言处理", "fields": fields_all, "type": "phrase"}},
                {
                    "multi_match": {
                        "query": "系统",
                        "fields": ["title^3", "title.en^3"],
                        "type": "best_fields",
                        "operator": "and",
                    }
                },
                {"bool": {"filter": [{"term": {"number": "nocn114081026a"}}]}},
            ],
            "must_not": [
                {
                    "multi_match": {
                        "query": "银行",
                        "fields": fields_all,
                        "type": "best_fields",
                        "operator": "and",
                    }
                }
            ],
            "filter": [
                {"terms": {"tag": ["ipcg06f", "ipch04l"]}},
                {"terms": {"tag": ["ctrycn"]}},
                {"range": {"publication_date": {"gte": "2023-01-01"}}},
            ],
        }
    }
    # Counting stops at the cap (track_total_hits), stable order for paging.
    assert body["track_total_hits"] == 10_000
    assert body["from"] == 40 and body["size"] == 20
    assert body["sort"] == ["_score", {"patent_id": "asc"}]
    assert body["_source"] == ["patent_id", "publication_number"]


@pytest.mark.django_db
def test_date_sort_and_facet_aggregations():
    body = build_search(
        parse_query("装置", None), sort="date", limit=20, offset=0, facets=True
    ).to_dict()
    assert body["sort"] == [
        {"publication_date": {"order": "desc", "missing": "_last"}},
        {"patent_id": "desc"},
    ]
    assert body["aggs"]["ipc"] == {"terms": {"field": "ipc_subclasses", "size": 20}}
    assert body["aggs"]["region"] == {"terms": {"field": "regions", "size": 400}}
    assert set(body["aggs"]) == {
        "ipc",
        "cpc",
        "country",
        "patent_type",
        "legal_status",
        "applicant_kind",
        "region",
    }


@pytest.mark.django_db
def test_bulk_actions_carry_text_numbers_and_tags(settings, tmp_path):
    use_backend(settings, tmp_path, "database")
    patents = create_corpus()
    from patents.search.indexing import patent_documents

    bird = patents["CN114081026A"]
    [doc] = patent_documents([bird.pk])
    [action] = list(ElasticsearchBackend()._actions([doc], "patents-20260101000000"))
    assert action["_index"] == "patents-20260101000000"
    assert action["_id"] == bird.pk
    source = action["_source"]
    assert source["title"] == "一种水电站高压输电线路驱鸟保护装置"
    assert source["applicant"] == "山东大学"
    assert "nocn114081026a" in source["number"] and "no114081026" in source["number"]
    assert {"ipca01m", "ipca01m29", "rg370000", "rg370100", "akuniversity"} <= set(source["tag"])
    assert source["publication_date"] == "2022-02-22"
    assert to_source(doc, {})["title"] == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL")
def test_against_a_real_cluster(settings, tmp_path):
    from django.core.management import call_command

    from patents.search import patent_search
    from patents.search.backends import _backend
    from patents.search.backends.elastic import client

    use_backend(settings, tmp_path, "database")
    create_corpus()
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX = f"test-patents-{dt.datetime.now():%H%M%S}"
    _backend.cache_clear()
    client.cache_clear()
    try:
        call_command("rebuild_search_index")
        results = patent_search(text="驱鸟", facets=True)
        assert [h.publication_number for h in results.hits] == ["CN114081026A"]
        assert patent_search(text="CN 114081026 A").hits[0].publication_number == "CN114081026A"
        call_command("rebuild_search_index")  # second rebuild swaps the alias again
        assert patent_search(text="驱鸟").total == 1
    finally:
        client().indices.delete(index=f"{settings.ELASTICSEARCH_INDEX}-*")

"""The search service on every local backend: the database backend (PostgreSQL
tsvector + RUM when DATABASE_URL points at PostgreSQL, SQLite FTS5 otherwise) and
the tantivy backend. Run the suite both ways to cover both database paths."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from patents.search import (
    SearchQueryError,
    index_patents_after_commit,
    patent_search,
    search_index_sweep,
)

from .search_support import create_corpus, use_backend

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "tantivy"])
def corpus(request, settings, tmp_path):
    use_backend(settings, tmp_path, request.param)
    return create_corpus()


def numbers(results) -> list[str]:
    return [h.publication_number for h in results.hits]


def test_database_backend_matches_the_connection(corpus, settings):
    from patents.search.backends import get_backend

    name = type(get_backend()).__name__
    if settings.SEARCH_BACKEND == "database":
        expected = "PostgresBackend" if connection.vendor == "postgresql" else "SqliteBackend"
        assert name == expected
    else:
        assert name == "TantivyBackend"


def test_chinese_words_are_segmented_and_highlighted(corpus):
    results = patent_search(text="输电线路")
    assert numbers(results) == ["CN114081026A"]
    assert results.total == 1
    title = results.hits[0].highlights["title"]
    assert "<mark>输电</mark><mark>线路</mark>" in title


def test_ranking_without_highlights_is_the_same_ranking(corpus):
    # The matcher ranks hits and never shows them, so it skips the highlighting reads.
    marked = patent_search(text="驱鸟", limit=10)
    plain = patent_search(text="驱鸟", limit=10, highlights=False)
    assert marked.hits and marked.hits[0].highlights
    assert [(h.patent_id, h.score) for h in plain.hits] == [
        (h.patent_id, h.score) for h in marked.hits
    ]
    assert all(h.highlights == {} for h in plain.hits)


def test_a_word_inside_a_compound_is_found(corpus):
    # "装置" is indexed as a sub-word of "保护装置" and "洗车装置".
    assert set(numbers(patent_search(text="装置"))) == {"CN114081026A", "CN215667380U"}


def test_english_is_lowercased_and_stemmed(corpus):
    results = patent_search(text="Queue SYNCHRONIZATIONS")
    assert numbers(results) == ["US10002031B2"]
    assert "<mark>synchronization</mark>" in results.hits[0].highlights["title"]


def test_mixed_chinese_and_english(corpus):
    assert numbers(patent_search(text="存储器 ECC")) == ["CN115794481A"]


def test_exact_phrase_needs_adjacent_words(corpus):
    assert numbers(patent_search(text='"blocking pop"')) == ["US10002031B2"]
    assert numbers(patent_search(text='"pop blocking"')) == []
    assert numbers(patent_search(text="“自然语言处理”")) == ["CN117151122A"]


def test_title_weighs_more_than_abstract(corpus):
    # "data" is in the title of US10001996B2 and only in the abstract of US10002031B2
    # (which mentions it once in three sentences, as the title does in six words).
    results = patent_search(text="data")
    assert numbers(results) == ["US10001996B2", "US10002031B2"]
    assert results.hits[0].score > results.hits[1].score


def test_field_search(corpus):
    assert numbers(patent_search(text="title:装置 abstract:数据")) == []
    assert numbers(patent_search(text="abstract:权限")) == ["CN117151122A"]
    assert numbers(patent_search(text="title:权限")) == []
    assert set(numbers(patent_search(text="申请人:山东大学"))) == {"CN114081026A", "CN117151122A"}
    assert numbers(patent_search(text="inventor:王伟")) == ["CN114081026A"]
    assert numbers(patent_search(text='inventor:"jonathan evans"')) == ["US10002031B2"]
    assert numbers(patent_search(text="inventor:evans")) == ["US10002031B2"]


@pytest.mark.parametrize(
    "text",
    [
        "CN 114081026 A",
        "cn114081026a",
        "114081026",
        "CN114081026",
        "number:114081026A",
        "公开号:CN114081026A",
        "202111234567.8",
        "申请号:202111234567",
    ],
)
def test_number_normalisation(corpus, text):
    assert numbers(patent_search(text=text)) == ["CN114081026A"]


def test_ipc_filter_at_any_level_includes_groups(corpus):
    g06f = patent_search(text="系统", filters={"ipc": "G06F"})
    assert set(numbers(g06f)) == {"CN117151122A", "CN115794481A"}
    assert numbers(patent_search(text="系统", filters={"ipc": "G06F16/00"})) == ["CN117151122A"]
    assert numbers(patent_search(text="系统", filters={"ipc": "G06F11"})) == ["CN115794481A"]
    assert numbers(patent_search(text="系统", filters={"ipc": "G"})) != []
    assert numbers(patent_search(text="系统", filters={"ipc": "A01M"})) == []
    # Any of several codes.
    both = patent_search(text="装置", filters={"ipc": ["A01M", "B60S"]})
    assert set(numbers(both)) == {"CN114081026A", "CN215667380U"}


def test_cpc_country_type_status_filters(corpus):
    assert numbers(patent_search(text="thread", filters={"cpc": "G06F9/522"})) == ["US10002031B2"]
    assert numbers(patent_search(text="runahead", filters={"cpc": "G06F9/522"})) == []
    # A main group includes its subgroups.
    assert set(numbers(patent_search(text="data", filters={"cpc": "G06F9"}))) == {
        "US10001996B2",
        "US10002031B2",
    }
    assert set(numbers(patent_search(text="装置", filters={"country": "CN"}))) == {
        "CN114081026A",
        "CN215667380U",
    }
    assert numbers(patent_search(text="装置", filters={"patent_type": "utility_model"})) == [
        "CN215667380U"
    ]
    assert numbers(patent_search(text="装置", filters={"legal_status": "granted"})) == [
        "CN215667380U"
    ]


def test_applicant_kind_and_region_with_city_drill_down(corpus):
    university = patent_search(text="系统", filters={"applicant_kind": "university"})
    assert numbers(university) == ["CN117151122A"]
    enterprise = patent_search(text="系统", filters={"applicant_kind": "enterprise"})
    assert numbers(enterprise) == ["CN115794481A"]
    assert numbers(patent_search(text="装置", filters={"applicant_kind": "university"})) == [
        "CN114081026A"
    ]
    # A province includes its cities.
    assert numbers(patent_search(text="装置", filters={"region": "370000"})) == ["CN114081026A"]
    assert numbers(patent_search(text="装置", filters={"region": "370100"})) == ["CN114081026A"]
    assert numbers(patent_search(text="装置", filters={"region": "440300"})) == ["CN215667380U"]


def test_date_range(corpus):
    found = patent_search(
        text="系统", filters={"date_from": "2023-06-01", "date_to": dt.date(2023, 12, 31)}
    )
    assert numbers(found) == ["CN117151122A"]
    assert numbers(patent_search(text="系统", filters={"date_to": "2023-01-01"})) == []


def test_facets_count_each_filter(corpus):
    results = patent_search(text="装置", facets=True)
    facets = results.facets
    assert dict(facets["country"]) == {"CN": 2}
    assert dict(facets["ipc"]) == {"A01M": 1, "H02G": 1, "B60S": 1, "C02F": 1}
    assert dict(facets["patent_type"]) == {"invention": 1, "utility_model": 1}
    assert dict(facets["legal_status"]) == {"granted": 1, "unknown": 1}
    assert dict(facets["applicant_kind"]) == {"university": 1, "enterprise": 1}
    assert dict(facets["region"]) == {"370000": 1, "440000": 1}
    drilled = patent_search(text="装置", filters={"region": "440000"}, facets=True)
    assert dict(drilled.facets["region"]) == {"440300": 1}
    us = patent_search(text="thread", facets=True)
    assert dict(us.facets["cpc"]) == {"G06F": 1}
    assert not results.total_is_capped


def test_sort_by_relevance_or_date(corpus):
    # Relevance (the default): the title match outranks the abstract match.
    assert numbers(patent_search(text="data")) == ["US10001996B2", "US10002031B2"]
    assert numbers(patent_search(text="装置", sort="date")) == ["CN114081026A", "CN215667380U"]
    assert numbers(patent_search(text="装置", sort="date_desc")) == [
        "CN114081026A",
        "CN215667380U",
    ]
    assert numbers(patent_search(text="装置", sort="date_asc")) == [
        "CN215667380U",
        "CN114081026A",
    ]


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_stable_pagination_through_ties(corpus, sort):
    """Seven copies of a real record (CN114081026A's title and date, new numbers,
    derived for this test) score and date alike: pages must neither repeat nor
    skip any of them, and the same page must come back the same."""
    from patents.search import search_index_patents
    from tests.factories import PatentFactory

    from .search_support import BIRD

    copies = [
        PatentFactory(**{**BIRD, "publication_number": f"CN30000000{i}A", "application_number": ""})
        for i in range(7)
    ]
    search_index_patents(patent_ids=[p.pk for p in copies])
    pages = [numbers(patent_search(text="驱鸟", sort=sort, limit=3, offset=o)) for o in (0, 3, 6)]
    seen = [n for page in pages for n in page]
    assert len(seen) == len(set(seen)) == 8  # the seven copies and the original
    assert set(seen) == {"CN114081026A", *(p.publication_number for p in copies)}
    for offset, page in zip((0, 3, 6), pages, strict=True):
        assert numbers(patent_search(text="驱鸟", sort=sort, limit=3, offset=offset)) == page
    assert patent_search(text="驱鸟", sort=sort, limit=3, offset=6).total == 8


@pytest.mark.parametrize(
    ("text", "filters", "message"),
    [
        ("", None, "请输入"),
        ("   ", None, "请输入"),
        ("装置" * 300, None, "过长"),
        ('- " : ( ) & | !', None, "没有可检索的词"),
        ("-装置", None, "没有可检索的词"),
        ("number:12ab!", None, "不是有效的专利号"),
        ("装置", {"colour": "red"}, "未知的筛选条件"),
        ("装置", {"ipc": "ZZ99"}, "不是有效的"),
        ("装置", {"patent_type": "gadget"}, "未知"),
        ("装置", {"legal_status": "alive"}, "未知"),
        ("装置", {"applicant_kind": "alien"}, "未知"),
        ("装置", {"region": "999999"}, "未知"),
        ("装置", {"country": "China"}, "未知"),
        ("装置", {"date_from": "2023-13-45"}, "日期"),
        ("装置", {"date_from": "2024-01-01", "date_to": "2023-01-01"}, "开始日期"),
    ],
)
def test_bad_input_gets_a_clear_chinese_message(corpus, text, filters, message):
    with pytest.raises(SearchQueryError) as excinfo:
        patent_search(text=text, filters=filters)
    assert message in str(excinfo.value)


def test_bad_paging_and_sort(corpus):
    with pytest.raises(SearchQueryError):
        patent_search(text="装置", sort="random")
    with pytest.raises(SearchQueryError):
        patent_search(text="装置", offset=10**6)
    with pytest.raises(SearchQueryError):
        patent_search(text="装置", limit=0)


@pytest.mark.parametrize(
    "text",
    ["装置 AND (", "装置 | ! &", "装置'; DROP TABLE patents_patent; --", "装置 NEAR/2 *", '"装置'],
)
def test_syntax_characters_are_escaped(corpus, text):
    # Operator characters of tsquery / FTS5 / Tantivy are plain text here.
    results = patent_search(text=text)
    assert "CN114081026A" in numbers(results) or results.total == 0


def test_exclusion(corpus):
    assert numbers(patent_search(text="装置 -洗车")) == ["CN114081026A"]


@pytest.fixture
def eager_celery():
    # With REDIS_URL set tasks go to a broker; here no worker runs, so run them inline.
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_index_after_commit_and_sweep(corpus, django_capture_on_commit_callbacks, eager_celery):
    from patents.models import Patent

    bird = Patent.objects.get(publication_number="CN114081026A")
    bird.title = "一种光伏电站清洗机器人"
    bird.save()
    # Not indexed yet: the old title still matches.
    assert numbers(patent_search(text="驱鸟")) == ["CN114081026A"]
    with django_capture_on_commit_callbacks(execute=True):
        index_patents_after_commit([bird.pk])
    assert numbers(patent_search(text="驱鸟")) == []
    assert numbers(patent_search(text="光伏")) == ["CN114081026A"]
    # An edit without the hook is caught by the sweep.
    wash = Patent.objects.get(publication_number="CN215667380U")
    wash.title = "一种风力发电机叶片检测装置"
    wash.save()
    assert search_index_sweep() >= 1
    assert numbers(patent_search(text="风力")) == ["CN215667380U"]


def test_deleted_patents_leave_the_index(corpus):
    from patents.models import Patent
    from patents.search import search_index_patents

    bird = Patent.objects.get(publication_number="CN114081026A")
    pk = bird.pk
    bird.delete()
    search_index_patents(patent_ids=[pk])
    assert numbers(patent_search(text="驱鸟")) == []


def test_patents_deleted_without_the_hook_are_not_returned(
    corpus, eager_celery, django_capture_on_commit_callbacks
):
    from patents.models import Patent

    Patent.objects.filter(publication_number="CN114081026A").delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert numbers(patent_search(text="驱鸟")) == []
    # …and they have been dropped from the index, not only from the page.
    assert patent_search(text="驱鸟").total == 0

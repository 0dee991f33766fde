"""Indexing at native speed: memoised analysis, plain-row documents, batched writes,
parallel document building (PostgreSQL), and quiet task logs."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import connection

from patents.search import analysis, indexing
from patents.search.analysis import index_tokens
from patents.search.backends import get_backend
from patents.search.indexing import document_batches, patent_documents, search_index_patents

from .search_support import create_corpus, use_backend

TEXT = "一种水电站高压输电线路驱鸟保护装置 Selective poisoning of data during runahead"


def _unmemoised(text: str) -> list[tuple[str, ...]]:
    """The analysis as it was before memoisation, token by token."""
    jieba = analysis.segmenter()
    out = []
    for raw in jieba.cut(text):
        token = analysis._normalise_token.__wrapped__(raw)
        if not token:
            continue
        group = [token]
        if len(token) > 2 and analysis._CJK.match(token):
            for sub in jieba.cut_for_search(token):
                if sub != token and len(sub) > 1 and sub not in group:
                    group.append(sub)
        out.append(tuple(group))
    return out


def test_memoised_analysis_gives_the_same_tokens_and_pays_once_per_word():
    analysis._token_group.cache_clear()
    first = index_tokens(TEXT)
    assert first == _unmemoised(TEXT)
    assert ("驱鸟",) in first and ("runahead",) in first and ("select",) in first
    misses = analysis._token_group.cache_info().misses
    assert misses > 0
    # The same words again: no new analysis, only cache hits.
    assert index_tokens(TEXT + " " + TEXT) == first + first
    assert analysis._token_group.cache_info().misses == misses
    # Cached groups cannot be changed by a caller.
    assert all(isinstance(group, tuple) for group in first)


@pytest.mark.django_db
def test_documents_from_rows_carry_every_field(settings, tmp_path):
    use_backend(settings, tmp_path, "database")
    patents = create_corpus()
    bird = patents["CN114081026A"]
    [doc] = patent_documents([bird.pk])
    assert doc.patent_id == bird.pk
    assert ("驱鸟",) in [tuple(g) for g in doc.title]
    assert {"ipca01m29", "ipch02g7", "akuniversity", "rg370000", "rg370100"} <= set(doc.tags)
    assert "inv王伟" in doc.inventor
    assert "no114081026" in doc.number
    assert doc.applicant_kinds == ["university"] and doc.regions == ["370000", "370100"]
    # Missing ids are absent, not errors.
    assert patent_documents([bird.pk + 10_000]) == []


@pytest.mark.django_db
def test_search_index_patents_writes_in_batches_and_removes_deleted(
    settings, tmp_path, monkeypatch
):
    use_backend(settings, tmp_path, "tantivy")
    patents = create_corpus()
    backend = get_backend()
    writes: list[int] = []
    deletes: list[list[int]] = []
    real_index, real_delete = backend.index, backend.delete
    monkeypatch.setattr(backend, "index", lambda docs: (writes.append(len(docs)), real_index(docs)))
    monkeypatch.setattr(
        backend, "delete", lambda ids: (deletes.append(list(ids)), real_delete(ids))
    )
    monkeypatch.setattr(indexing, "CHUNK", 2)
    monkeypatch.setattr(indexing, "WRITE_BATCH", 4)
    ids = sorted(p.pk for p in patents.values())
    gone = max(ids) + 1000
    assert search_index_patents(patent_ids=[*ids, gone]) == 6
    # 7 ids in chunks of 2: one write once 4 ids are pending, one for the rest.
    assert writes == [4, 2]
    assert deletes == [[gone]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="forked workers read PostgreSQL, not SQLite"
)
def test_parallel_document_building_matches_serial(settings, tmp_path):
    use_backend(settings, tmp_path, "tantivy")
    patents = create_corpus()
    ids = sorted(p.pk for p in patents.values())
    chunks = [ids[:2], ids[2:4], ids[4:]]
    serial = [d for batch in document_batches(chunks, workers=1) for d in batch]
    parallel = [d for batch in document_batches(chunks, workers=2) for d in batch]
    assert [d.patent_id for d in parallel] == ids
    assert [(d.title, d.tags) for d in parallel] == [(d.title, d.tags) for d in serial]
    # This process still reaches its database after the fork.
    assert search_index_patents(patent_ids=ids) == len(ids)


def test_task_logs_carry_counts_not_id_lists():
    from portal.logging import TaskArgsFilter, summarise_args

    assert summarise_args(repr([list(range(1, 2001))])) == "[[2000 ids]]"
    assert summarise_args("('CN114081026A',)") == "('CN114081026A',)"
    long = summarise_args(repr(["x" * 500]))
    assert len(long) < 260 and "504 characters" in long
    # The console handler Django configured carries the filter.
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, TaskArgsFilter) for f in h.filters)
    ]
    assert handlers, "no log handler summarises task arguments"
    context = {
        "id": "abc",
        "name": "patents.search_index",
        "return_value": "2000",
        "runtime": 0.4,
        "args": repr([list(range(5000, 7000))]),
        "kwargs": "{}",
    }
    record = logging.LogRecord(
        "celery.app.trace", logging.INFO, __file__, 1, "Task %(name)s[%(id)s]", context, None
    )
    record.data = context
    assert handlers[0].filter(record)
    assert record.data["args"] == "[[2000 ids]]"
    line = handlers[0].format(record)
    assert "5001" not in line and len(line) < 1000
    if line.startswith("{"):
        assert json.loads(line)["data"]["args"] == "[[2000 ids]]"


def test_embedded_broker_names_a_host(caplog):
    """Eager tasks still take a producer from the in-memory broker: a URL without a
    host made kombu warn "No hostname was supplied" at the first task of a process."""
    from portal.celery import app

    with (
        caplog.at_level(logging.WARNING, logger="kombu.connection"),
        app.connection_for_write() as conn,
    ):
        conn._info()
    assert not [r for r in caplog.records if "No hostname" in r.getMessage()]


@pytest.mark.django_db
def test_after_commit_queues_one_task_per_importer_batch(
    monkeypatch, django_capture_on_commit_callbacks
):
    from patents.search import tasks

    queued: list[int] = []
    monkeypatch.setattr(
        tasks.search_index, "delay", lambda patent_ids: queued.append(len(patent_ids))
    )
    with django_capture_on_commit_callbacks(execute=True):
        indexing.index_patents_after_commit(range(1, 12_001))
    # 12,000 ids: two full importer batches and the rest; each task is one commit.
    assert queued == [5000, 5000, 2000]

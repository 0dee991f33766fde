"""The tantivy backend is safe as the PostgreSQL default: one writer at a time
(tasks retry on a busy writer lock), readers in other processes see commits,
rebuilds replace the index in one commit, /health/ reports it; and the default
backend resolves as README and .env.example say."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from celery.exceptions import Retry
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from patents.models import Patent
from patents.search import patent_search, search_index_sweep
from patents.search.backends import backend_name, get_backend, tantivy_index
from patents.search.backends.tantivy_index import TantivyBackend
from patents.search.indexing import patent_documents
from patents.search.tasks import search_index, search_sweep
from patents.search.types import SearchIndexBusy

from .search_support import create_corpus, use_backend

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def numbers(results) -> list[str]:
    return [h.publication_number for h in results.hits]


@pytest.fixture
def tantivy_corpus(settings, tmp_path):
    use_backend(settings, tmp_path, "tantivy")
    return create_corpus()


@pytest.fixture
def held_writer(settings, monkeypatch):
    """Another process's writer: a second index handle on the same directory
    holding tantivy's writer lock (the lock is a file lock, so this is what a
    worker in another process looks like)."""
    monkeypatch.setattr(tantivy_index, "LOCK_WAIT_SECONDS", 0.3)
    other = TantivyBackend(settings.SEARCH_INDEX_DIR)
    writer = other._writer()
    yield writer
    writer.rollback()
    del writer


# -- default resolution --------------------------------------------------------
def test_unset_backend_resolves_by_database_as_documented(settings):
    settings.SEARCH_BACKEND = ""
    assert backend_name(vendor="sqlite") == "database"
    assert backend_name(vendor="postgresql") == "tantivy"
    expected = {"sqlite": "SqliteBackend", "postgresql": "TantivyBackend"}[connection.vendor]
    assert type(get_backend()).__name__ == expected


@pytest.mark.parametrize("name", ["database", "tantivy", "elasticsearch"])
def test_an_explicit_backend_always_wins(settings, name):
    settings.SEARCH_BACKEND = name
    assert backend_name(vendor="sqlite") == name
    assert backend_name(vendor="postgresql") == name


def test_an_unknown_backend_is_a_configuration_error(settings):
    settings.SEARCH_BACKEND = "solr"
    with pytest.raises(ImproperlyConfigured, match="solr"):
        backend_name()


def test_shipped_settings_leave_the_backend_unset():
    # A fresh process with neither SEARCH_BACKEND nor DATABASE_URL: the embedded
    # first run. settings.py's default must be "unset", resolving per database.
    env = {k: v for k, v in os.environ.items() if k not in ("SEARCH_BACKEND", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from patents.search.backends import backend_name\n"
        "print(repr(settings.SEARCH_BACKEND), backend_name(), backend_name(vendor='postgresql'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["''", "database", "tantivy"]


# -- one writer at a time -----------------------------------------------------------
@pytest.mark.django_db
def test_a_busy_writer_lock_raises_index_busy(tantivy_corpus, held_writer):
    documents = patent_documents([tantivy_corpus["CN114081026A"].pk])
    with pytest.raises(SearchIndexBusy):
        get_backend().index(documents)


@pytest.mark.django_db
def test_index_task_retries_while_the_writer_is_busy(tantivy_corpus, settings, monkeypatch):
    monkeypatch.setattr(tantivy_index, "LOCK_WAIT_SECONDS", 0.3)
    bird = Patent.objects.get(publication_number="CN114081026A")
    Patent.objects.filter(pk=bird.pk).update(title="一种光伏电站清洗机器人")
    other = TantivyBackend(settings.SEARCH_INDEX_DIR)
    writer = other._writer()
    # Eager apply propagates (CELERY_TASK_EAGER_PROPAGATES): a worker would
    # re-queue this Retry with a countdown.
    with pytest.raises(Retry) as retry:
        search_index.apply(kwargs={"patent_ids": [bird.pk]})
    assert isinstance(retry.value.exc, SearchIndexBusy)
    assert numbers(patent_search(text="光伏")) == []
    writer.rollback()
    del writer
    # Once the other writer is gone the retried task goes through.
    assert search_index.apply(kwargs={"patent_ids": [bird.pk]}).get() == 1
    assert numbers(patent_search(text="光伏")) == ["CN114081026A"]


def test_index_tasks_retry_on_a_busy_writer_with_backoff():
    for task in (search_index, search_sweep):
        assert SearchIndexBusy in task.autoretry_for
        assert task.retry_backoff and task.max_retries >= 10


@pytest.mark.django_db
def test_sweep_keeps_its_watermark_when_the_writer_is_busy(tantivy_corpus, held_writer):
    from patents.models import SearchIndexState
    from patents.search.indexing import sweep_state_name

    Patent.objects.filter(publication_number="CN114081026A").update(title="风力发电机叶片检测装置")
    Patent.objects.filter(publication_number="CN114081026A").first().save()
    with pytest.raises(Retry):
        search_sweep.apply()
    # Not advanced: the retry (or the next sweep) covers the same rows.
    assert not SearchIndexState.objects.filter(name=sweep_state_name()).exists()


@pytest.mark.django_db
def test_the_first_sweep_on_a_newly_chosen_backend_fills_it(settings, tmp_path):
    # An installation on PostgreSQL that used the database backend upgrades to the
    # tantivy default: its index directory starts empty.
    use_backend(settings, tmp_path / "before", "database")
    create_corpus()
    assert search_index_sweep() == 6
    use_backend(settings, tmp_path / "after", "tantivy")
    assert patent_search(text="装置").total == 0
    assert search_index_sweep() == 6
    assert patent_search(text="装置").total == 2


# -- readers see commits made elsewhere ------------------------------------------------
@pytest.mark.django_db
def test_a_reader_in_another_process_sees_new_commits(tantivy_corpus, settings, monkeypatch):
    reader = TantivyBackend(settings.SEARCH_INDEX_DIR)
    assert reader.searcher().num_docs == 6
    writer_side = TantivyBackend(settings.SEARCH_INDEX_DIR)
    writer_side.delete([tantivy_corpus["CN114081026A"].pk])
    # Within the reload interval a reader may still show the old state…
    monkeypatch.setattr(tantivy_index, "RELOAD_EVERY_SECONDS", 0.0)
    # …and after it, the other process's commit.
    assert reader.searcher().num_docs == 5


# -- rebuild -------------------------------------------------------------------------
@pytest.mark.django_db
def test_rebuild_replaces_the_index_in_one_commit(tantivy_corpus, settings, monkeypatch):
    from patents.search import indexing

    # A patent removed without the hook: its document is still in the index.
    Patent.objects.filter(publication_number="CN114081026A").delete()
    observer = TantivyBackend(settings.SEARCH_INDEX_DIR)
    monkeypatch.setattr(tantivy_index, "RELOAD_EVERY_SECONDS", 0.0)
    seen_during = []
    real = indexing.patent_documents

    def watching(ids):
        # While the rebuild runs, searches still see the complete old index.
        seen_during.append(observer.searcher().num_docs)
        return real(ids)

    monkeypatch.setattr(indexing, "patent_documents", watching)
    call_command("rebuild_search_index", chunk_size=2)
    assert seen_during and set(seen_during) == {6}
    assert observer.searcher().num_docs == 5
    assert patent_search(text="装置").total == 1


@pytest.mark.django_db
def test_rebuild_waits_for_the_writer_then_says_so(tantivy_corpus, held_writer):
    from patents.search.indexing import search_index_rebuild

    with pytest.raises(SearchIndexBusy):
        search_index_rebuild(lock_wait=0.2)
    # The old index still answers.
    assert patent_search(text="装置").total == 2


# -- health ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_health_reports_the_tantivy_index(tantivy_corpus, client):
    body = client.get("/health/").json()
    assert body["checks"]["search"]["ok"] is True
    assert body["checks"]["search"]["detail"] == "tantivy (6 documents)"


@pytest.mark.django_db
def test_health_names_the_resolved_default(settings, client):
    settings.SEARCH_BACKEND = ""
    detail = client.get("/health/").json()["checks"]["search"]["detail"]
    if connection.vendor == "postgresql":
        assert detail == "tantivy (0 documents)"
    else:
        assert detail == "database (sqlite)"


HOLD_WRITER = """
import sys, django
django.setup()
from patents.search.backends.tantivy_index import TantivyBackend
writer = TantivyBackend(sys.argv[1])._writer()
print("locked", flush=True)
sys.stdin.readline()
writer.rollback()
"""


@pytest.mark.django_db
def test_the_writer_lock_holds_across_processes(tantivy_corpus, settings, monkeypatch):
    # A real second process (a worker) holds the writer: this one must back off.
    monkeypatch.setattr(tantivy_index, "LOCK_WAIT_SECONDS", 0.3)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    worker = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITER, str(settings.SEARCH_INDEX_DIR)],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout.readline().strip() == "locked"
        documents = patent_documents([tantivy_corpus["CN114081026A"].pk])
        with pytest.raises(SearchIndexBusy):
            get_backend().index(documents)
    finally:
        worker.communicate("\n", timeout=60)
    assert worker.returncode == 0
    get_backend().index(documents)  # released: the write goes through
    assert patent_search(text="驱鸟").total == 1

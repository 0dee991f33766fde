"""Search upkeep: Celery tasks registered and scheduled, and the rebuild command."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from patents.search import patent_search
from patents.search.backends import get_backend

from .search_support import create_corpus, use_backend


def test_tasks_are_registered_and_scheduled(settings):
    from portal.celery import app

    app.loader.import_default_modules()
    assert {
        "patents.search_index",
        "patents.search_sweep",
        "patents.saved_searches_run",
    } <= set(app.tasks)
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["patents-search-sweep"]["task"] == "patents.search_sweep"
    assert schedule["patents-saved-searches"]["task"] == "patents.saved_searches_run"


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["database", "tantivy"])
def test_rebuild_command_restores_a_lost_index(settings, tmp_path, backend):
    use_backend(settings, tmp_path, backend)
    patents = create_corpus()
    get_backend().delete([p.pk for p in patents.values()])
    assert patent_search(text="驱鸟").total == 0
    call_command("rebuild_search_index", chunk_size=2)
    assert [h.publication_number for h in patent_search(text="驱鸟").hits] == ["CN114081026A"]
    assert patent_search(text="装置").total == 2

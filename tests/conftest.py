"""Fixtures shared by the whole suite.

Tests run against whatever ``DATABASE_URL`` and ``REDIS_URL`` say: CI points
them at the local PostgreSQL and Redis; without them the suite runs on SQLite
with eager Celery, like the embedded mode.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

REPO_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_DIR / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture
def on_postgres(db) -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings) -> None:
    # The manifest storage needs collectstatic; tests serve from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path) -> None:
    # Uploads and error reports of one test never leak into another or into var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    # The private storage (evidence, licences) too; it is built once per process.
    from django.utils.functional import empty

    from portal.uploads import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty


@pytest.fixture(autouse=True)
def _search_backend_pinned(settings, tmp_path):
    # Unset, SEARCH_BACKEND resolves by database vendor (tantivy on PostgreSQL) and
    # tantivy writes to var/: pin the database backend and a per-test index
    # directory. Search tests choose backends themselves (tests/patents/search_support).
    from patents.search.backends import _backend

    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    _backend.cache_clear()
    yield
    _backend.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_region_cache():
    # organizations.py caches the region table per process; tests load their own.
    from patents.organizations import reset_region_index

    reset_region_index()
    yield
    reset_region_index()


@pytest.fixture(autouse=True)
def _trust_defaults(settings):
    # The admin demands a TOTP-verified session (portal.admin_site); app tests
    # exercise admin pages without enrolling a device. tests/security turns it
    # back on where it is the subject. Rate-limit counters live in the cache:
    # start every test with none.
    settings.ADMIN_REQUIRE_OTP = False
    # Production hashing costs ~0.5 s a password; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()


# Apps whose KPI selectors the "not yet measurable" tests pretend are absent.
ABSENT_SELECTOR_APPS = ("matching", "operations_center", "trading", "openlicense", "talent")


@pytest.fixture
def selectors_absent(monkeypatch):
    """Make the other apps' KPI selectors unimportable, as before an app is deployed.

    Every app is installed now; this keeps the "not yet measurable, never 0" path
    under test.
    """
    from importlib import import_module as real_import_module

    import reporting.measures

    def import_module(name, *args, **kwargs):
        if name.split(".")[0] in ABSENT_SELECTOR_APPS:
            raise ModuleNotFoundError(name)
        return real_import_module(name, *args, **kwargs)

    monkeypatch.setattr(reporting.measures, "import_module", import_module)


@pytest.fixture(autouse=True)
def _work_calendar(request):
    """The holiday calendar is seeded by a migration; a transactional test's flush
    empties it, so tests that use the database get it back (one query when present)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    from django.utils import timezone

    from portal.models import WorkCalendarYear
    from portal.workdays import work_calendar_seed

    work_calendar_seed()
    # Feature tests count deadlines from today (a listing's notice, a PIPL request's 15
    # working days), and in December those run into next year, whose State Council
    # notice may not be on record yet: production then refuses, with a message
    # (tests/trading/test_workdays_listings.py). So that no feature test depends on the
    # date it runs, the TEST database alone gets next year as weekends-only when it is
    # missing; nothing here is shipped or seeded outside the tests.
    following = timezone.localdate().year + 1
    WorkCalendarYear.objects.get_or_create(
        year=following,
        defaults={"notice": "TEST FIXTURE ONLY: weekends only, no official notice on record"},
    )

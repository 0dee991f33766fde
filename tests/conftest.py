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

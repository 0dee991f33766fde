"""Settings of the live servers the fault tests start (gunicorn subprocesses).

The production settings unchanged - database connection reuse and health checks,
middleware, DEBUG off - except the static files storage: the manifest storage
needs ``collectstatic`` first, which a test has no reason to run (tests/conftest.py
makes the same swap in-process).
"""

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

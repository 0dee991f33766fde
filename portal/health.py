"""``GET /health/``: can this instance serve? JSON for load balancers and monitoring.

Each dependency is checked with a short timeout; the answer is 200 when all
that are configured work, 503 otherwise. Failures name only the exception
class: the endpoint is public and must not leak hosts or credentials.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .permissions import public_view

TIMEOUT_SECONDS = 1.0


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not configured (embedded mode)"
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def _celery() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager (in-process)"
    from .celery import app

    replies = app.control.ping(timeout=TIMEOUT_SECONDS)
    if not replies:
        raise RuntimeError("no worker answered")
    return f"{len(replies)} worker(s)"


def _search() -> str:
    from patents.search.status import search_status

    return search_status(timeout=TIMEOUT_SECONDS)


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "redis": _redis,
    "celery": _celery,
    "search": _search,
}


def health_status() -> tuple[bool, dict]:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail, ok = check(), True
        except Exception as exc:  # any failure of a dependency is a "down", never a 500
            detail, ok = type(exc).__name__, False
        results[name] = {
            "ok": ok,
            "detail": detail,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return all(r["ok"] for r in results.values()), results


@public_view
@never_cache
@require_safe
def health(request):
    healthy, checks = health_status()
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )

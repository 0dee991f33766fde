"""Rate limits on public forms and endpoints, counted in the shared (Redis) cache.

Usage on a view::

    from portal.ratelimit import rate_limit

    @rate_limit(group="matching.need_submit", key="ip", rate="10/h")
    def need_submit(request): ...

Over the limit the visitor gets a 429 page saying when to try again; if the
cache (Redis) is down the limit cannot be counted, so the form answers 503
"try again later" instead of erroring or letting floods through
(``RATELIMIT_FAIL_OPEN = False``). Only the limited methods (POST by default)
are counted: reading a public page never depends on Redis.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

UNAVAILABLE = "unavailable"


def rate_limit_check(
    request, *, group: str, key: str | Callable = "ip", rate: str, method=("POST",)
) -> dict | str | None:
    """Count one hit. ``None`` if allowed, ``UNAVAILABLE`` if the cache is down,
    else the usage dict (``should_limit`` true, ``time_left`` seconds)."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    try:
        usage = get_usage(
            request, group=group, key=key, rate=rate, method=list(method), increment=True
        )
    except Exception:  # any cache client error: redis.ConnectionError, TimeoutError, ...
        logger.warning("rate limit cache unavailable", extra={"group": group}, exc_info=True)
        return UNAVAILABLE
    if usage is None:
        return None
    if usage["should_limit"]:
        if usage.get("limit") == 0 and usage.get("time_left") == -1:
            # django-ratelimit's "could not count" answer (fail closed).
            return UNAVAILABLE
        return usage
    return None


def rate_limited_response(request, verdict, *, template: str = "portal/try_later.html"):
    if verdict == UNAVAILABLE:
        message = _("This service is busy right now. Please try again in a few minutes.")
        status, retry_after = 503, 60
    else:
        retry_after = max(int(verdict.get("time_left") or 60), 1)
        minutes = max(retry_after // 60, 1)
        message = _("Too many attempts. Please try again in %(minutes)d minutes.") % {
            "minutes": minutes
        }
        status = 429
    response = render(request, template, {"message": message}, status=status)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited_api_response(verdict):
    """The API's answer over the limit: 429 (503 if it cannot count) with a body."""
    from rest_framework.response import Response

    if verdict == UNAVAILABLE:
        response = Response(
            {"detail": _("This service is busy right now. Please try again in a few minutes.")},
            status=503,
        )
        response["Retry-After"] = "60"
        return response
    retry_after = max(int(verdict.get("time_left") or 60), 1)
    response = Response(
        {
            "detail": _("Too many attempts. Please try again in %(minutes)d minutes.")
            % {"minutes": max(retry_after // 60, 1)}
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(*, group: str, rate: str, key: str | Callable = "ip", method=("POST",)):
    """View decorator; see the module docstring."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in method:
                verdict = rate_limit_check(request, group=group, key=key, rate=rate, method=method)
                if verdict is not None:
                    return rate_limited_response(request, verdict)
            return view(request, *args, **kwargs)

        # Lets tests find every rate-limited view from the URL resolver
        # (tests/security/test_fault_redis_down.py); functools.wraps in outer
        # decorators carries it up.
        wrapper.portal_rate_limit = group
        return wrapper

    return decorator

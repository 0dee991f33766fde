"""The one way to redirect to a URL the user sent (``next``, a tracked link).

Only a path or URL on this site (and over HTTPS when the request was) is
followed; anything else — another host, ``//evil.example``, ``javascript:`` —
falls back to ``default``, so no page becomes an open redirect.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_redirect(request, url: str | None) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next_url(request, *, default: str, candidate: str | None = None, **kwargs) -> str:
    """``candidate`` (by default ``next`` from POST, then GET) when it stays on
    this site, else ``default`` (a URL, path or URL name; ``kwargs`` reverse it)."""
    if candidate is None:
        candidate = request.POST.get("next") or request.GET.get("next") or ""
    if is_safe_redirect(request, candidate):
        return candidate
    return resolve_url(default, **kwargs)


def redirect_to_next(request, default: str, **kwargs) -> HttpResponseRedirect:
    return redirect(safe_next_url(request, default=default, **kwargs))

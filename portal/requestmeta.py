"""What we record about a request: client IP and a request id for log correlation."""

from __future__ import annotations

import contextvars
import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Set by ``portal.middleware.RequestIdMiddleware``; read by logs and the audit log.
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "portal_request_id", default=""
)
current_user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "portal_user_id", default=None
)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address; ``X-Forwarded-For`` only behind ``TRUSTED_PROXY_COUNT`` proxies."""
    if request is None:
        return None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def client_ip_or_remote(request: HttpRequest) -> str:
    """``client_ip`` for rate limits and django-axes (never empty)."""
    return client_ip(request) or request.META.get("REMOTE_ADDR", "") or "0.0.0.0"

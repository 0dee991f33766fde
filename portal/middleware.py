"""Request-level safeguards. Order in ``settings.MIDDLEWARE`` matters; see there."""

from __future__ import annotations

import logging
import time
import uuid

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from .requestmeta import current_request_id, current_user_id

logger = logging.getLogger(__name__)

_STARTED = "_portal_session_started"
_LAST_SEEN = "_portal_last_seen"
# Writing the session on every request would be a database write per page view;
# the idle clock only needs minute precision.
_LAST_SEEN_RESOLUTION = 60


class TrustedProxyMiddleware:
    """Drops forwarding headers unless the request comes from ``TRUSTED_PROXIES``.

    Without it any client could send ``X-Forwarded-Proto: https`` (the session
    cookie then counts as secure) or ``X-Forwarded-For`` (rate limits, lockouts
    and the audit trail then record an address of the client's choosing).
    """

    HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP")

    def __init__(self, get_response):
        import ipaddress

        self.networks = []
        for entry in getattr(settings, "TRUSTED_PROXIES", []) or []:
            self.networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        self.get_response = get_response

    def _trusted(self, address: str) -> bool:
        import ipaddress

        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def __call__(self, request):
        if not self._trusted(request.META.get("REMOTE_ADDR", "")):
            for header in self.HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class RequestIdMiddleware:
    """Gives each request an id (or keeps a proxy's ``X-Request-ID``) for logs and audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if incoming and len(incoming) <= 64 and incoming.isprintable() else ""
        request.request_id = request_id or uuid.uuid4().hex
        # Not reset afterwards: Django logs a failed request ("django.request")
        # after the middleware chain returned, and that line needs the id too.
        # Every request sets both at its start, so nothing leaks between requests.
        current_request_id.set(request.request_id)
        current_user_id.set(None)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class SessionTimeoutMiddleware:
    """Logs a user out after ``SESSION_IDLE_TIMEOUT`` seconds idle or
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds after login, whichever comes first.

    Must come after ``AuthenticationMiddleware`` and ``MessageMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            current_user_id.set(user.pk)
            expired = self._expired(request)
            if expired:
                logout(request)
                messages.info(request, expired)
                if request.method == "GET" and not request.path.startswith("/api/"):
                    return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str | None:
        now = int(time.time())
        session = request.session
        started = session.get(_STARTED)
        last_seen = session.get(_LAST_SEEN)
        if started is None:
            session[_STARTED] = now
            session[_LAST_SEEN] = now
            return None
        idle = getattr(settings, "SESSION_IDLE_TIMEOUT", 30 * 60)
        absolute = getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", 12 * 3600)
        if now - started > absolute:
            return _("Your session reached its maximum length. Please log in again.")
        if last_seen is not None and now - last_seen > idle:
            return _("You were logged out after a period of inactivity. Please log in again.")
        if last_seen is None or now - last_seen >= _LAST_SEEN_RESOLUTION:
            session[_LAST_SEEN] = now
        return None


class StaffSecondFactorMiddleware:
    """Every staff page and staff API call needs a TOTP-verified session.

    Pages redirect to the second-factor step; API calls answer 403 with a body.
    API-partner accounts are token-only: a web session of one is ended. After
    ``OTPMiddleware`` (it sets ``user.is_verified``) and ``MessageMiddleware``.
    """

    EXEMPT_PREFIXES = (
        "/accounts/login/",
        "/accounts/logout/",
        "/accounts/2fa/",
        "/static/",
        "/captcha/",
        "/health/",
        "/i18n/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import JsonResponse
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode

        from .second_factor import partner_only, second_factor_required

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        path = request.path_info
        if partner_only(user):
            logout(request)
            message = _("API partner accounts use their API token only, not a web session.")
            if path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=403)
            from django.http import HttpResponseForbidden

            return HttpResponseForbidden(message)
        if path.startswith(self.EXEMPT_PREFIXES) or not second_factor_required(user):
            return self.get_response(request)
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Staff API calls need a session verified with a second factor.")},
                status=403,
            )
        return redirect(f"{reverse('otp_verify')}?{urlencode({'next': request.get_full_path()})}")


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set."""

    PERMISSIONS_POLICY = (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
        "interest-cohort=(), browsing-topics=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages of a logged-in user may hold personal data: keep them out of
            # shared caches and the back-forward cache of a shared computer.
            response.setdefault("Cache-Control", "no-store, private")
        return response


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp with a looser policy for the admin and the API docs only.

    Why the admin needs its own policy: Django's admin templates and widgets
    set inline ``style`` attributes (e.g. the related-object popups, the
    collapse and filter widgets) which ``style-src 'self'`` blocks, and the
    Swagger UI page of drf-spectacular is an inline ``<script>``. Those pages
    are staff-only (the docs render only the public schema), so allowing inline
    styles/scripts there costs far less than allowing them site-wide.
    """

    LOOSE_PREFIXES = ("/admin/", "/api/docs/")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(self.LOOSE_PREFIXES):
            loose = getattr(settings, "CSP_ADMIN_UPDATE", {})
            parts.update = {**loose, **(parts.update or {})}
        return parts


class DatabaseUnavailableMiddleware:
    """A database that is restarting or unreachable answers 503 "try again in a
    moment" (with Retry-After) instead of a 500 error page.

    The page is plain HTML built without the database (no template context,
    no session). Pooled connections broken by the restart are replaced on the
    next request (``CONN_HEALTH_CHECKS``), so the portal recovers by itself;
    bench/fault_postgres_restart.py drills it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError
        from django.http import HttpResponse
        from django.utils.html import escape

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable: %s", type(exception).__name__)
        title = escape(_("Please try again later"))
        message = escape(_("This service is busy right now. Please try again in a few minutes."))
        response = HttpResponse(
            f'<!doctype html><meta charset="utf-8"><title>{title}</title>'
            f'<h1>{title}</h1><p id="try-later">{message}</p>',
            status=503,
        )
        response["Retry-After"] = "30"
        return response

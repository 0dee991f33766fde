"""System checks for what Django cannot know is wrong in a deployment."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

# Accounts that a demo creates; they must not exist on a real deployment.
DEMO_USERNAMES = ("demo", "demo_staff", "demo_enterprise", "demo_funder", "admin")
_DEFAULT_PASSWORDS = ("admin", "password", "123456", "12345678", "demo", "changeme", "admin123")


@register(Tags.security, deploy=True)
def no_default_accounts(app_configs, **kwargs):
    """No demo accounts and no administrators with a default password outside the demo."""
    if getattr(settings, "DEMO_MODE", False):
        return []
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    User = get_user_model()
    errors = []
    try:
        demo = list(
            User.objects.filter(username__in=DEMO_USERNAMES, is_active=True).values_list(
                "username", flat=True
            )
        )
        # Checking hashes is slow by design; only superusers, capped.
        privileged = list(
            User.objects.filter(is_active=True, is_superuser=True).order_by("pk")[:20]
        )
    except DatabaseError:
        return []  # no tables yet (before migrate)
    if demo:
        errors.append(
            Error(
                f"Demo or default accounts exist: {', '.join(demo)}.",
                hint="Deactivate them, or set DEMO_MODE=true on a demo machine.",
                id="portal.E001",
            )
        )
    weak = [u.username for u in privileged if any(u.check_password(p) for p in _DEFAULT_PASSWORDS)]
    if weak:
        errors.append(
            Error(
                f"Staff accounts with a default password: {', '.join(weak)}.",
                hint="Reset their passwords.",
                id="portal.E002",
            )
        )
    return errors


def _production() -> bool:
    return getattr(settings, "PORTAL_ENVIRONMENT", "development") == "production"


@register(Tags.security)
def production_is_safe(app_configs, **kwargs):
    """In production (``PORTAL_ENVIRONMENT=production``, the image's default) these
    are errors, not warnings: ``portal.wsgi`` runs the checks before serving and
    refuses to start on any of them."""
    if not _production():
        return []
    errors = []

    def refuse(condition: bool, message: str, hint: str, code: str) -> None:
        if condition:
            errors.append(Error(message, hint=hint, id=code))

    refuse(settings.DEBUG, "DEBUG is on in production.", "Set DEBUG=false.", "portal.E010")
    refuse(
        not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE),
        "Session and CSRF cookies may travel over plain HTTP.",
        "Set SECURE_COOKIES=true.",
        "portal.E011",
    )
    refuse(
        getattr(settings, "SECURE_HSTS_SECONDS", 0) < 31_536_000,
        "HSTS is off or shorter than a year.",
        "Set SECURE_HSTS_SECONDS=31536000 (one year).",
        "portal.E012",
    )
    refuse(
        not settings.SECURE_SSL_REDIRECT,
        "Plain HTTP requests are not redirected to HTTPS.",
        "Set SECURE_SSL_REDIRECT=true.",
        "portal.E013",
    )
    refuse(
        not getattr(settings, "ADMIN_REQUIRE_OTP", True),
        "Two-factor authentication for staff is off.",
        "Unset ADMIN_REQUIRE_OTP (it defaults to on); only the demo turns it off.",
        "portal.E014",
    )
    refuse(
        getattr(settings, "DEMO_MODE", False),
        "DEMO_MODE is on in production: demo accounts would be accepted.",
        "Set DEMO_MODE=false and deactivate the demo accounts.",
        "portal.E015",
    )
    refuse(
        bool(settings.SECURE_PROXY_SSL_HEADER) and not getattr(settings, "TRUSTED_PROXIES", []),
        "The proxy's HTTPS header is trusted but no proxy address is configured.",
        "Set TRUSTED_PROXIES to the reverse proxy's address(es).",
        "portal.E016",
    )
    backend = settings.CACHES.get(getattr(settings, "RATELIMIT_USE_CACHE", "default"), {}).get(
        "BACKEND", ""
    )
    refuse(
        getattr(settings, "WEB_WORKERS", 1) > 1 and "locmem" in backend.lower(),
        "Rate limits, login throttles and SMS cooldowns would be counted per worker process.",
        "Set REDIS_URL (the shared cache) or run one web worker (WEB_CONCURRENCY=1).",
        "portal.E017",
    )
    refuse(
        settings.SECRET_KEY.startswith("change-me") or len(settings.SECRET_KEY) < 40,
        "SECRET_KEY is the example value or too short.",
        "Set a random SECRET_KEY of at least 50 characters.",
        "portal.E018",
    )
    return errors


def run_production_checks() -> None:
    """Called by ``portal.wsgi`` before serving: raises ``SystemCheckError`` on any
    error (including the deploy checks above), so gunicorn does not start."""
    if not _production():
        return
    from django.core.management import call_command

    call_command("check", "--deploy", "--fail-level", "ERROR")

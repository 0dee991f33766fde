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

"""Shared bits of the trading pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError

from portal.permissions import is_line_staff
from portal.programme import ProgrammeLine

# Listings review, deals and settlement are the trading hub's work
# (docs/architecture.md "Programme lines and staff pages").
OWN_LINE = ProgrammeLine.TRADING_HUB


def is_staff(user) -> bool:
    """Staff of the trading hub (or centre management, administrators)."""
    return is_line_staff(user, OWN_LINE)


def user_organization(user):
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return getattr(profile, "organization", None)


def run_service(request, call, *, success: str):
    """Run a service; flash its refusal messages (returning None) or ``success``."""
    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    messages.success(request, success)
    return result


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)

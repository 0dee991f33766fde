"""Shared bits of the trading and open-licence pages."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError

from portal.roles import Role, user_has_role


def is_staff(user) -> bool:
    return user_has_role(user, Role.STAFF)


def user_organization(user):
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return getattr(profile, "organization", None)


def staff_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


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

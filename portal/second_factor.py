"""Two factors for every staff and administrator session (not only ``/admin/``).

``StaffSecondFactorMiddleware`` (portal.middleware) sends a staff session that
has not passed TOTP to the verification step for pages, and answers 403 for
staff API calls; ``ADMIN_REQUIRE_OTP`` (on unless the demo or a test turns it
off; the production system check refuses it off) switches it. Recovery codes
are django-otp static tokens issued once at enrolment; a security administrator
resets a person's devices (audited) when a phone is lost.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit_record
from .roles import ADMIN_ROLES, Role, is_centre_staff, user_roles

RECOVERY_CODE_COUNT = 10
ACTION_RECOVERY_ISSUED = "auth.otp_recovery_codes_issued"
ACTION_RECOVERY_USED = "auth.otp_recovery_code_used"
ACTION_RESET = "auth.otp_reset"


def second_factor_required(user) -> bool:
    """Staff, centre staff of any line, reviewers and the 三员 administrators."""
    if not getattr(settings, "ADMIN_REQUIRE_OTP", True):
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return is_centre_staff(user) or bool(user_roles(user) & ADMIN_ROLES)


def partner_only(user) -> bool:
    roles = user_roles(user)
    return Role.API_PARTNER in roles and not (roles - {Role.API_PARTNER}) and not user.is_superuser


@transaction.atomic
def recovery_codes_issue(*, user, request=None) -> list[str]:
    """Replace the user's recovery codes with fresh ones; returns them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    audit_record(actor=user, action=ACTION_RECOVERY_ISSUED, request=request)
    return codes


@transaction.atomic
def second_factor_reset(*, user, reset_by, request=None) -> int:
    """Remove every second-factor device of ``user`` (lost phone); they enrol again
    at their next staff page. Only security administrators and superusers."""
    if not (reset_by.is_superuser or Role.SECURITY_ADMIN in user_roles(reset_by)):
        raise PermissionDenied("Only the security administrator may reset a second factor.")
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    audit_record(
        actor=reset_by,
        action=ACTION_RESET,
        target=user,
        details={"devices": removed},
        request=request,
    )
    return removed

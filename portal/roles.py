"""Who a user is to the portal.

Roles are Django groups so staff can grant them in the admin without a deploy;
this module is the one place that names them (the groups themselves are
created by the data migrations ``portal/migrations/0001`` and ``0003``).

Administration is split three ways as the Multi-Level Protection Scheme
(等保 2.0, GB/T 22239-2019 §8.1.4 "三员分立") requires: the *system*
administrator runs accounts and configuration, the *security* administrator
grants roles and handles lockouts and second factors, the *audit*
administrator reads the audit log. Nobody may hold two of them
(``ADMIN_ROLES`` is checked when groups change, see ``portal.signals``).
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .programme import ProgrammeLine


class Role(StrEnum):
    # Centre staff serving every programme line (centre management).
    STAFF = "centre_staff"
    # Centre staff of one line each: see ``STAFF_LINE_ROLES``.
    STAFF_INDUSTRY_OPERATIONS = "centre_staff_industry_operations"
    STAFF_TRADING_HUB = "centre_staff_trading_hub"
    STAFF_TALENT = "centre_staff_talent"
    REVIEWER = "reviewer"
    BROKER = "broker"
    ENTERPRISE = "enterprise"
    PATENT_HOLDER = "patent_holder"
    FUNDER = "funder"
    API_PARTNER = "api_partner"
    SYSTEM_ADMIN = "system_admin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"


STAFF_LINE_ROLES: dict[Role, ProgrammeLine] = {
    Role.STAFF_INDUSTRY_OPERATIONS: ProgrammeLine.INDUSTRY_OPERATIONS,
    Role.STAFF_TRADING_HUB: ProgrammeLine.TRADING_HUB,
    Role.STAFF_TALENT: ProgrammeLine.TALENT,
}

# Roles whose holders act for one organization and see only its records.
ORGANIZATION_ROLES = frozenset({Role.ENTERPRISE, Role.PATENT_HOLDER, Role.BROKER})

# Centre staff of any kind: they work on every organization's records (of
# their lines) and need a second factor for the admin.
CENTRE_STAFF_ROLES = frozenset({Role.STAFF, *STAFF_LINE_ROLES, Role.REVIEWER})

# 三员: mutually exclusive administrator roles.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

ALL_ROLE_NAMES = tuple(role.value for role in Role)


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:
            cached = cached | {Role.STAFF}
        user._portal_roles = cached
    return cached


def user_has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    return role in user_roles(user)


def user_has_any_role(user: AbstractBaseUser | AnonymousUser, roles) -> bool:
    return bool(user_roles(user) & frozenset(Role(r) for r in roles))


def is_centre_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user_roles(user) & CENTRE_STAFF_ROLES)


def user_programme_lines(user: AbstractBaseUser | AnonymousUser) -> frozenset[str] | None:
    """Programme lines a staff member works on; ``None`` means every line.

    Line groups and ``UserProfile.programme_lines`` both count, so a line can be
    granted in the admin either way. Non-staff get the empty set.
    """
    roles = user_roles(user)
    if Role.STAFF in roles:
        return None
    lines = {STAFF_LINE_ROLES[role].value for role in roles & set(STAFF_LINE_ROLES)}
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    if profile is not None and (lines or Role.REVIEWER in roles):
        lines |= set(profile.programme_lines or [])
    if Role.REVIEWER in roles and not lines:
        # A reviewer with no line reviews for the whole centre.
        return None
    return frozenset(lines)


def user_organization_id(user: AbstractBaseUser | AnonymousUser) -> int | None:
    """The ``patents.Organization`` id this user acts for, if any."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_portal_organization_id", False)
    if cached is False:
        from .models import UserProfile

        cached = (
            UserProfile.objects.filter(user_id=user.pk)
            .values_list("organization_id", flat=True)
            .first()
        )
        user._portal_organization_id = cached
    return cached


def reset_role_cache(user) -> None:
    """Forget the cached roles (after groups change within one request)."""
    for attr in ("_portal_roles", "_portal_organization_id"):
        if hasattr(user, attr):
            delattr(user, attr)

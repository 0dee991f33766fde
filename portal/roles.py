"""Who a user is to the portal.

Roles are Django groups so staff can grant them in the admin without a deploy;
this module is the one place that names them. Finer per-line roles and the
separation of system / security / audit administration build on these.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(StrEnum):
    STAFF = "centre_staff"
    ENTERPRISE = "enterprise"
    FUNDER = "funder"


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

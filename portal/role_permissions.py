"""Which model permissions each role's group carries.

Synced after every ``migrate`` (``post_migrate`` in ``PortalConfig.ready``),
so permissions of models that apps add later are granted without a new data
migration. ``app.view_*`` grants that action on every model of the app;
permissions that do not exist (an app not installed yet) are skipped.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .roles import Role

_DOMAIN_APPS = (
    "patents",
    "operations_center",
    "matching",
    "trading",
    "openlicense",
    "alliances",
    "talent",
    "reporting",
)
_STAFF = [f"{app}.{action}_*" for app in _DOMAIN_APPS for action in ("view", "add", "change")] + [
    "portal.view_datarightsrequest",
    "portal.change_datarightsrequest",
    "portal.view_consentrecord",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.STAFF: _STAFF,
    Role.STAFF_INDUSTRY_OPERATIONS: _STAFF,
    Role.STAFF_TRADING_HUB: _STAFF,
    Role.STAFF_TALENT: _STAFF,
    Role.REVIEWER: [
        f"{app}.{action}_*"
        for app in ("matching", "trading", "openlicense")
        for action in ("view", "change")
    ],
    # 三员: accounts and configuration; never the audit trail nor role grants.
    Role.SYSTEM_ADMIN: [
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "portal.view_userprofile",
        "portal.add_userprofile",
        "portal.change_userprofile",
        "authtoken.view_tokenproxy",
        "authtoken.add_tokenproxy",
        "authtoken.delete_tokenproxy",
    ],
    # Role definitions, lockouts and second factors.
    Role.SECURITY_ADMIN: [
        "auth.view_group",
        "auth.change_group",
        "auth.view_user",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "otp_static.view_staticdevice",
        "otp_static.delete_staticdevice",
    ],
    # Reads the trail; nothing else.
    Role.AUDIT_ADMIN: [
        "portal.view_auditevent",
        "axes.view_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
    ],
}


def _resolve(spec: str) -> Q:
    app_label, codename = spec.split(".", 1)
    if codename.endswith("_*"):
        return Q(content_type__app_label=app_label, codename__startswith=codename[:-1])
    return Q(content_type__app_label=app_label, codename=codename)


def role_permissions_sync(**_kwargs) -> None:
    """Give each role group exactly the permissions listed above (idempotent)."""
    for role, specs in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        condition = Q(pk__in=[])
        for spec in specs:
            condition |= _resolve(spec)
        group.permissions.set(Permission.objects.filter(condition))

"""Receivers: the audit trail of logins, and the 三员 separation of duties."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .audit import AuditAction, audit_record
from .login_throttle import login_failure_record, login_success_reset
from .roles import ADMIN_ROLES, reset_role_cache

User = get_user_model()
_ADMIN_GROUP_NAMES = frozenset(role.value for role in ADMIN_ROLES)


@receiver(user_logged_in, dispatch_uid="portal_audit_login")
def _audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.LOGIN, request=request)
    login_success_reset(user.get_username())


@receiver(user_logged_out, dispatch_uid="portal_audit_logout")
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, request=request)


@receiver(user_login_failed, dispatch_uid="portal_audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username tried, never the password (Django already masks it).
    username = str(credentials.get("username", ""))[:150]
    if request is not None:  # web logins only: tests and shells authenticate without one
        login_failure_record(username)
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor_label=username,
        details={"username": username},
        request=request,
    )


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit_record(
        action=AuditAction.LOCKED_OUT,
        actor_label=str(username or "")[:150],
        details={"username": str(username or "")[:150]},
        request=request,
    )


try:
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="portal_audit_locked_out")
except ImportError:  # axes not installed (it is a dependency; defensive for tooling)
    pass


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="portal_admin_separation")
def _separate_admin_roles(sender, instance, action, reverse, pk_set, **kwargs):
    """Refuse to give one person two of system / security / audit administration."""
    if action != "pre_add" or not pk_set:
        if action in ("post_add", "post_remove", "post_clear"):
            _after_groups_change(instance, action, reverse, pk_set)
        return
    if reverse:
        # group.user_set.add(users...): instance is the group.
        if instance.name not in _ADMIN_GROUP_NAMES:
            return
        others = _ADMIN_GROUP_NAMES - {instance.name}
        clash = User.objects.filter(pk__in=pk_set, groups__name__in=others).exists()
    else:
        adding = set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        held = set(instance.groups.values_list("name", flat=True))
        clash = len((adding | held) & _ADMIN_GROUP_NAMES) > 1
    if clash:
        raise ValidationError(
            "System, security and audit administration must be held by different people."
        )


def _after_groups_change(instance, action, reverse, pk_set) -> None:
    if reverse:
        return
    reset_role_cache(instance)
    names = sorted(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    audit_record(
        action=AuditAction.ROLE_CHANGED,
        target=instance,
        details={"change": action.removeprefix("post_"), "groups": names},
    )

"""Enforcement of roles in querysets, views and the API.

Access is decided where data is fetched, not in templates: a view asks
``scope_to_organization`` for the queryset a user may see, so an object of
another organization simply is not found (404) rather than shown or refused
with a hint that it exists.

Every page is private unless marked public: wrap public function views with
``@public_view`` or mix ``PublicViewMixin`` into class views. The permission
matrix test (tests/security/test_permission_matrix.py) walks every URL and
fails when an unmarked page answers an anonymous visitor.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from rest_framework import exceptions as drf_exceptions
from rest_framework import permissions as drf_permissions
from rest_framework.authentication import TokenAuthentication

from .programme import ProgrammeLine
from .roles import (
    STAFF_LINE_ROLES,
    Role,
    is_centre_staff,
    user_has_any_role,
    user_organization_id,
    user_programme_lines,
    user_roles,
)

# URL names that are public by design even though their views are not ours to
# decorate (Django's auth and i18n views, the schema). Apps mark their own
# public pages with ``public_view`` instead of adding names here.
PUBLIC_URL_NAMES = frozenset(
    {
        "home",
        "login",
        "logout",
        "admin:login",
        "admin:logout",
        "set_language",
        "api-schema",
        "api-docs",
        "health",
        "patents:detail",
        "privacy_request_create",
        "privacy_notice",
        "password_reset",
        # The self-hosted captcha's images and refresh (django-simple-captcha).
        "captcha-image",
        "captcha-image-2x",
        "captcha-audio",
        "captcha-refresh",
    }
)


def public_view(view: Callable) -> Callable:
    """Mark a view as intentionally open to anonymous visitors."""
    view.portal_public = True
    return view


class PublicViewMixin:
    """Class-based counterpart of ``public_view``."""

    portal_public = True


def is_public_view(callback: Callable) -> bool:
    """Whether a resolved URL callback is marked public (function, CBV or DRF)."""
    if getattr(callback, "portal_public", False):
        return True
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        if getattr(view_class, "portal_public", False):
            return True
        perms = getattr(view_class, "permission_classes", None) or []
        return any(p is drf_permissions.AllowAny for p in perms)
    return False


# --- Querysets -------------------------------------------------------------------


def _has_field(queryset: QuerySet, name: str) -> bool:
    try:
        queryset.model._meta.get_field(name)
    except Exception:
        return False
    return True


def scope_to_programme_lines(
    queryset: QuerySet, user, *, field: str = "programme_line"
) -> QuerySet:
    """Staff of some lines see only records of those lines; others pass through."""
    lines = user_programme_lines(user)
    if lines is None:
        return queryset
    return queryset.filter(**{f"{field}__in": sorted(lines)})


def scope_to_organization(
    queryset: QuerySet,
    user,
    field: str | Sequence[str] = "organization",
    *,
    staff_see_all: bool = True,
    line_field: str | None = "programme_line",
) -> QuerySet:
    """The part of ``queryset`` that ``user`` may see.

    - anonymous, or a user acting for no organization: nothing;
    - centre staff (when ``staff_see_all``): everything, narrowed to their
      programme lines when the model has ``line_field``;
    - everyone else: rows whose ``field`` (or any of several fields, e.g.
      ``("assignor", "assignee")`` for a deal) is their organization.
    """
    if not user.is_authenticated:
        return queryset.none()
    if staff_see_all and is_centre_staff(user):
        if line_field and _has_field(queryset, line_field):
            return scope_to_programme_lines(queryset, user, field=line_field)
        return queryset
    organization_id = user_organization_id(user)
    if organization_id is None:
        return queryset.none()
    fields = [field] if isinstance(field, str) else list(field)
    condition = Q()
    for name in fields:
        condition |= Q(**{name: organization_id})
    return queryset.filter(condition).distinct() if len(fields) > 1 else queryset.filter(condition)


def get_scoped_object_or_404(
    queryset: QuerySet, user, field: str | Sequence[str] = "organization", **lookup
):
    """One object the user may see, else 404 (never 403: no hint it exists)."""
    try:
        return scope_to_organization(queryset, user, field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


# --- Views -----------------------------------------------------------------------


def _check_roles(request: HttpRequest, roles: Iterable[Role | str]) -> None:
    if not user_has_any_role(request.user, roles) and not request.user.is_superuser:
        raise PermissionDenied


def role_required(*roles: Role | str) -> Callable:
    """Anonymous → login page; logged in without one of ``roles`` → 403."""
    wanted = tuple(Role(r) for r in roles)

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            _check_roles(request, wanted)
            return view(request, *args, **kwargs)

        wrapper.portal_roles = wanted
        return wrapper

    return decorator


def staff_lines(user) -> frozenset[str] | None:
    """Programme lines whose staff pages ``user`` may open.

    ``None`` means every line (centre management staff, ``Role.STAFF``, and
    administrators — superusers hold ``Role.STAFF`` implicitly); a line staff
    member gets the lines of their line roles and profile; anyone else gets
    the empty set. Reviewers and the 三员 administrators are not staff of a
    line: review and administration have their own roles and pages.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = user_roles(user)
    if Role.STAFF in roles or user.is_superuser:
        return None
    if not roles & set(STAFF_LINE_ROLES):
        return frozenset()
    return user_programme_lines(user) or frozenset()


def is_line_staff(user, line: ProgrammeLine | str | None = None) -> bool:
    """Whether ``user`` is centre staff of ``line`` (of any line when ``None``)."""
    lines = staff_lines(user)
    if lines is None:
        return True
    if line is None:
        return bool(lines)
    return ProgrammeLine(line).value in lines


def staff_required(view: Callable | None = None, *, line: ProgrammeLine | str | None = None):
    """Centre staff pages: anonymous → login page; not staff of ``line`` → 403.

    ``line=None`` is a shared page (patents, matching, open licence,
    reporting): staff of every line get in. A line's own pages (see
    docs/architecture.md "Programme lines and staff pages") name it, e.g.
    ``@staff_required(line=ProgrammeLine.TRADING_HUB)``. Usable bare
    (``@staff_required``) or called.
    """
    wanted = ProgrammeLine(line) if line is not None else None

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_line_staff(request.user, wanted):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        wrapper.portal_staff_line = wanted.value if wanted else "shared"
        return wrapper

    return decorator(view) if view is not None else decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based ``role_required``: set ``required_roles``."""

    required_roles: tuple[Role, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_roles:
            _check_roles(request, self.required_roles)
        return super().dispatch(request, *args, **kwargs)


class OrganizationScopedMixin:
    """For ListView/DetailView/UpdateView: ``get_queryset`` scoped to the user."""

    organization_field: str | Sequence[str] = "organization"

    def get_queryset(self):
        return scope_to_organization(
            super().get_queryset(), self.request.user, self.organization_field
        )


# --- API -------------------------------------------------------------------------


class HasPortalRole(drf_permissions.BasePermission):
    """Subclass with ``roles = (...)`` or build one with ``role_permission``."""

    roles: tuple[Role, ...] = ()
    message = "Your account does not have a role that may use this endpoint."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and (
            user.is_superuser or user_has_any_role(user, self.roles)
        )


def role_permission(*roles: Role | str) -> type[HasPortalRole]:
    wanted = tuple(Role(r) for r in roles)
    return type("HasRole_" + "_".join(r.value for r in wanted), (HasPortalRole,), {"roles": wanted})


class IsCentreStaff(drf_permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and is_centre_staff(request.user))


class IsLineStaff(drf_permissions.BasePermission):
    """API counterpart of ``staff_required``: set ``staff_line`` on the view
    (a ``ProgrammeLine``; unset = shared, staff of every line)."""

    message = "This endpoint is for centre staff of the programme line that owns it."

    def has_permission(self, request, view) -> bool:
        return is_line_staff(request.user, getattr(view, "staff_line", None))


class ReadOnly(drf_permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.method in drf_permissions.SAFE_METHODS


def _partner_only(user) -> bool:
    roles = user_roles(user)
    return Role.API_PARTNER in roles and not (roles - {Role.API_PARTNER}) and not user.is_superuser


class PartnerFeedScope(drf_permissions.BasePermission):
    """API partners may only read endpoints that declare ``partner_feed = True``.

    In ``DEFAULT_PERMISSION_CLASSES``; ``ScopedTokenAuthentication`` enforces
    the same for token logins even when a view replaces its permissions.
    """

    message = "This API token is limited to the shared feed."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated) or not _partner_only(request.user):
            return True
        return bool(getattr(view, "partner_feed", False)) and (
            request.method in drf_permissions.SAFE_METHODS
        )


class IsFeedReader(drf_permissions.BasePermission):
    """The shared data feed: partner markets' API accounts and centre staff only.

    Deals and needs of every organization are in the feed, so an enterprise
    account (which sees only its own records elsewhere) must not read it.
    """

    message = "The shared feed is open to partner markets' API accounts and centre staff only."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return (
            user.is_superuser
            or is_centre_staff(user)
            or user_has_any_role(user, (Role.API_PARTNER,))
        )


class ScopedTokenAuthentication(TokenAuthentication):
    """Token authentication that keeps API-partner tokens inside the shared feed."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        from django.conf import settings
        from django.utils import timezone

        from .second_factor import second_factor_required

        ttl_days = getattr(settings, "API_TOKEN_TTL_DAYS", 90)
        if ttl_days and token.created < timezone.now() - timedelta(days=ttl_days):
            raise drf_exceptions.AuthenticationFailed(
                "This API token has expired; ask the centre for a new one (api_token_rotate)."
            )
        if second_factor_required(user):
            # A token cannot pass a second factor: staff use verified web sessions.
            raise drf_exceptions.AuthenticationFailed(
                "Staff accounts cannot use API tokens; use a session with two factors."
            )
        return user, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if _partner_only(user) and not PartnerFeedScope().has_permission(
            _RequestShim(request, user), view
        ):
            raise drf_exceptions.PermissionDenied(PartnerFeedScope.message)
        return user, token


class _RequestShim:
    def __init__(self, request, user):
        self.user = user
        self.method = request.method


class OrganizationScopedViewSetMixin:
    """For DRF viewsets: ``get_queryset`` scoped like the pages."""

    organization_field: str | Sequence[str] = "organization"

    def get_queryset(self):
        return scope_to_organization(
            super().get_queryset(), self.request.user, self.organization_field
        )
